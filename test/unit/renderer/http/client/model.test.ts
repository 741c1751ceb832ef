import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net';
import { createServer as createHttpsServer } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { makeSelfSignedCertificate } from '../../../../../electron/net/selfSignedCertificate';
import { type ComposerModel } from '../../../../../renderer/http/client/model';
import { type HttpExchanges } from '../../../../../renderer/http/client/exchanges';
import { HttpLab } from '../../../../../renderer/http/httpLab';
import { connectedClient } from '../../../../support/appClient';
import { freeTcpPort } from '../../../../support/ports';
import { until } from '../../../../support/waits';

/**
 * The HTTP composer's model: templates and helpers write into the raw text where the
 * user sees it (one change each, with the range to highlight), Content-Length follows
 * the body when asked, cookies come from Set-Cookie and can be edited, bad targets are
 * refused beside their field without touching the text, and Send goes through the real
 * Node-side service to a Node http server on loopback.
 */

const closers: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function composer(): ComposerModel {
  const lab = new HttpLab(connectedClient(closers), { lintDelayMs: 0 });
  closers.push(() => lab.dispose());
  return lab.composer;
}

/** What the editor does with a model edit: apply the change to the text it had. */
function applied(model: ComposerModel, before: string): string {
  const edit = model.state.edit;
  if (!edit) throw new Error('no edit');
  expect(edit.base).toBe(before);
  return before.slice(0, edit.change.from) + edit.change.insert + before.slice(edit.change.to);
}

function highlighted(model: ComposerModel): string {
  const edit = model.state.edit;
  if (!edit) throw new Error('no edit');
  return model.state.text.slice(edit.range.from, edit.range.to);
}

describe('templates', () => {
  it('starts with a GET for the default target, CRLF line endings, nothing to lint', () => {
    const model = composer();
    expect(model.state.text).toBe('GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n');
    expect(model.state.lineEnding).toBe('crlf');
    expect(model.state.lint.diagnostics).toEqual([]);
    expect(model.state.lint.requests).toBe(1);
  });

  it('writes a template for the current URL as one change the editor applies (and can undo)', () => {
    const model = composer();
    model.setUrl('http://example.com:8081/form?x=1');
    const before = model.state.text;
    expect(model.applyTemplate('post-json')).toBe(true);
    const text = model.state.text;
    expect(applied(model, before)).toBe(text);
    expect(model.state.edit?.undoable).toBe(true);
    const body = '{"name": "Ada Lovelace", "course": "networks"}';
    expect(text).toBe(
      `POST /form?x=1 HTTP/1.1\r\nHost: example.com:8081\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(model.state.lint.diagnostics).toEqual([]);
  });

  it('offers HTTP/1.0 as well as 1.1, and each kind', () => {
    const model = composer();
    model.applyTemplate('head', '1.0');
    expect(model.state.text.startsWith('HEAD / HTTP/1.0\r\n')).toBe(true);
    model.applyTemplate('post-form', '1.1');
    expect(model.state.text).toMatch(/^POST \/ HTTP\/1\.1\r\n.*Content-Type: application\/x-www-form-urlencoded\r\n/s);
    model.applyTemplate('put');
    expect(model.state.text.startsWith('PUT / HTTP/1.1\r\n')).toBe(true);
    model.applyTemplate('conditional-get');
    expect(model.state.text).toMatch(
      /^GET \/ HTTP\/1\.1\r\nHost: 127\.0\.0\.1:8080\r\nIf-Modified-Since: .+ GMT\r\n\r\n$/,
    );
    // Without an earlier response there are no validators: the note says so.
    expect(model.state.note).toMatch(/No response with Last-Modified or ETag yet/);
  });
});

describe('helpers write into the text where the user sees them', () => {
  it('Host from the target, right after the request line, highlighted', () => {
    const model = composer();
    model.setText('GET /a HTTP/1.1\r\nAccept: */*\r\n\r\n');
    model.setUrl('https://Example.org/');
    const before = model.state.text;
    expect(model.hostFromTarget()).toBe(true);
    expect(model.state.text).toBe('GET /a HTTP/1.1\r\nHost: example.org\r\nAccept: */*\r\n\r\n');
    expect(applied(model, before)).toBe(model.state.text);
    expect(highlighted(model)).toBe('Host: example.org');
    expect(model.state.note).toBe('Host set to example.org.');
  });

  it('the path from the URL into the request line, method and version kept', () => {
    const model = composer();
    model.setUrl('http://127.0.0.1:8080/images/cat.png?size=2');
    model.pathFromUrl();
    expect(model.state.text.split('\r\n')[0]).toBe('GET /images/cat.png?size=2 HTTP/1.1');
  });

  it('Content-Length from the body counts UTF-8 bytes, and "keep in sync" follows every edit', () => {
    const model = composer();
    model.setText('POST /p HTTP/1.1\r\nHost: a\r\n\r\nhé');
    expect(model.state.lint.diagnostics.map((d) => d.code)).toContain('body-without-length');
    model.contentLengthFromBody();
    expect(model.state.text).toBe('POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nhé');
    expect(model.state.lint.diagnostics).toEqual([]);

    model.setSyncContentLength(true);
    const typed = 'POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nhé!!';
    model.setText(typed);
    expect(model.state.text).toBe('POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhé!!');
    // The editor applies it on top of what was typed, outside the undo history (undoing the typing re-syncs).
    expect(applied(model, typed)).toBe(model.state.text);
    expect(model.state.edit?.undoable).toBe(false);
    expect(model.state.lint.diagnostics).toEqual([]);

    // A GET without a body gets no Content-Length: 0 it did not ask for.
    model.setText('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(model.state.text).toBe('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
  });

  it('says what is missing instead of guessing: no empty line, no response yet', () => {
    const model = composer();
    const text = 'POST / HTTP/1.1\r\nHost: a';
    model.setText(text);
    expect(model.contentLengthFromBody()).toBe(false);
    expect(model.state.errors.helpers?.message).toMatch(/empty line/);
    expect(model.conditionalFromLastResponse()).toBe(false);
    expect(model.state.errors.helpers?.message).toMatch(/No response yet/);
    expect(model.state.text).toBe(text);
  });

  it('turns the bare LF and CR the linter flags into CRLF, heads only, as one change', () => {
    const model = composer();
    const text = 'POST / HTTP/1.1\nHost: a\rContent-Length: 3\r\n\na\nb';
    model.setText(text);
    expect(model.fixLineEndings()).toBe(true);
    expect(model.state.text).toBe('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\na\nb');
    expect(applied(model, text)).toBe(model.state.text);
    expect(model.state.note).toBe('3 bare line endings made CRLF.');
    expect(model.state.lint.diagnostics).toEqual([]);
  });

  it('adds a second request after the first for pipelining', () => {
    const model = composer();
    model.setConnection('pipeline');
    expect(model.appendRequest()).toBe(true);
    expect(model.state.text).toBe(
      'GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\nGET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n',
    );
    expect(model.state.lint.requests).toBe(2);
    expect(model.state.lint.diagnostics).toEqual([]);
  });
});

describe('the linter', () => {
  it('reports exact places and never changes the text', () => {
    const model = composer();
    const text = 'GET / HTTP/1.1\nHost: a\r\n\r\n';
    model.setText(text);
    const bareLf = model.state.lint.diagnostics.find((d) => d.code === 'bare-lf');
    expect(bareLf).toMatchObject({ line: 1, column: 15, offset: 14, length: 1 });
    expect(model.state.text).toBe(text);
  });

  it('waits for a pause in typing, and lints at once before sending', async () => {
    const lab = new HttpLab(connectedClient(closers), { lintDelayMs: 50 });
    closers.push(() => lab.dispose());
    const model = lab.composer;
    model.setText('GET / HTTP/1.1\r\n\r\n');
    expect(model.state.lint.text).not.toBe(model.state.text);
    model.lintNow();
    expect(model.state.lint.diagnostics.map((d) => d.code)).toEqual(['missing-host']);
    model.setText('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    await until(() => model.state.lint.text === model.state.text, 'the debounced lint', 2000);
    expect(model.state.lint.diagnostics).toEqual([]);
  });
});

describe('bad input is refused beside its control; the text is kept', () => {
  it('a URL that is not http(s)', async () => {
    const model = composer();
    const text = model.state.text;
    model.setUrl('ftp://example.com/');
    expect(await model.send()).toBe('invalid');
    expect(model.state.errors.url?.message).toBe('ftp:// is not HTTP: use an http:// or https:// URL.');
    expect(model.state.text).toBe(text);
    model.setUrl('example.com');
    expect(await model.send()).toBe('invalid');
    expect(model.state.errors.url?.message).toMatch(/Start the URL with http:\/\/ or https:\/\//);
    model.setUrl('http://127.0.0.1:99999/');
    expect(await model.send()).toBe('invalid');
    expect(model.state.errors.url?.message).toMatch(/"99999" is not a port/);
    // A helper that needs the target says so too, beside the helpers.
    expect(model.hostFromTarget()).toBe(false);
    expect(model.state.errors.helpers?.message).toMatch(/^Fix the URL first/);
    expect(model.applyTemplate('post-json')).toBe(false);
    expect(model.state.errors.template?.message).toMatch(/^Fix the URL first/);
    expect(model.state.text).toBe(text);
    model.setUrl('http://127.0.0.1:8080/');
    expect(model.state.errors.url).toBeUndefined();
  });

  it('host, port and TLS: a bad port, an empty host, a URL typed as the host', async () => {
    const model = composer();
    model.setUrl('https://localhost:8443/x');
    model.setTargetMode('parts');
    expect(model.state).toMatchObject({ host: 'localhost', port: '8443', tls: true });
    model.setPort('70000');
    expect(await model.send()).toBe('invalid');
    expect(model.state.errors.port?.message).toBe('70000 is not a port: use a number from 1 to 65535.');
    model.setPort('http');
    expect(await model.send()).toBe('invalid');
    expect(model.state.errors.port?.message).toMatch(/is not a port number/);
    model.setPort('8443');
    model.setHost('http://localhost/');
    expect(await model.send()).toBe('invalid');
    expect(model.state.errors.host?.message).toMatch(/is not a host name/);
    model.setHost('');
    expect(await model.send()).toBe('invalid');
    expect(model.state.errors.host?.message).toMatch(/Type the server/);
    model.setHost('::1');
    expect(model.targetLabel()).toBe('[::1]:8443 (TLS)');
    model.setTargetMode('url');
    expect(model.state.url).toBe('https://[::1]:8443/');
  });

  it('deadlines must be numbers; an empty request is not sent', async () => {
    const model = composer();
    model.setConnectDeadline('soon');
    model.setResponseDeadline('');
    model.setText('');
    expect(await model.send()).toBe('invalid');
    expect(model.state.errors.connectDeadline?.message).toMatch(/“soon” is not a number of seconds/);
    expect(model.state.errors.responseDeadline?.message).toMatch(/every wait needs a deadline/);
    expect(model.state.errors.text?.message).toMatch(/The request is empty/);
  });
});

describe('the cookie list', () => {
  it('is per target, editable, and goes into the request only through the helper', () => {
    const model = composer();
    model.setUrl('http://127.0.0.1:8080/shop/cart');
    expect(model.putCookie({ name: 'session', value: 'abc123' })).toBe(true);
    expect(model.putCookie({ name: 'theme', value: 'dark' })).toBe(true);
    expect(model.state.text).not.toMatch(/Cookie/);
    model.cookieFromJar();
    expect(model.state.text).toMatch(/\r\nCookie: session=abc123; theme=dark\r\n/);
    expect(highlighted(model)).toBe('Cookie: session=abc123; theme=dark');

    // Edit one value, delete the other, write again.
    model.putCookie({ name: 'session', value: 'xyz', path: '/' });
    model.deleteCookie('theme', '/');
    model.cookieFromJar();
    expect(model.state.text).toMatch(/\r\nCookie: session=xyz\r\n/);
    expect(model.cookiesForTarget().cookies.map((c) => `${c.name}=${c.value}`)).toEqual(['session=xyz']);

    // Another target has its own list (empty): the helper then removes the header.
    model.setUrl('http://localhost:9000/');
    expect(model.cookiesForTarget()).toEqual({ origin: 'http://localhost:9000', cookies: [] });
    model.cookieFromJar();
    expect(model.state.text).not.toMatch(/Cookie/);
  });

  it('refuses names and values a Cookie header cannot carry', () => {
    const model = composer();
    expect(model.putCookie({ name: 'a b', value: 'x' })).toBe(false);
    expect(model.state.errors.cookies?.message).toMatch(/is not a cookie name/);
    expect(model.putCookie({ name: 'a', value: 'x;y' })).toBe(false);
    expect(model.state.errors.cookies?.message).toMatch(/visible ASCII/);
    expect(model.putCookie({ name: '', value: 'x' })).toBe(false);
    expect(model.state.errors.cookies?.message).toBe('Give the cookie a name.');
  });
});

// ---- sending through the real Node side ----

interface Served {
  port: number;
  requests: Array<{ method: string; url: string; headers: IncomingMessage['headers']; remotePort: number }>;
}

async function nodeServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Served> {
  const requests: Served['requests'] = [];
  const server: Server = createServer((req, res) => {
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      remotePort: req.socket.remotePort ?? 0,
    });
    handler(req, res);
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as AddressInfo).port, requests };
}

function sendingLab(): { lab: HttpLab; model: ComposerModel; exchanges: HttpExchanges } {
  const lab = new HttpLab(connectedClient(closers), { lintDelayMs: 0 });
  closers.push(() => lab.dispose());
  return { lab, model: lab.composer, exchanges: lab.exchanges };
}

async function responded(exchanges: HttpExchanges, count: number): Promise<void> {
  await until(
    () => exchanges.state.exchanges.filter((e) => e.phase === 'done' || e.phase === 'failed').length >= count,
    `${count} finished exchanges`,
    5000,
  );
}

describe('sending', () => {
  it('sends the text as typed, feeds the cookie list from Set-Cookie, and makes the next GET conditional → 304', async () => {
    const etag = '"v1"';
    const server = await nodeServer((req, res) => {
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { ETag: etag });
        res.end();
        return;
      }
      res.writeHead(200, {
        'Content-Type': 'text/plain',
        ETag: etag,
        'Last-Modified': 'Tue, 01 Mar 2016 18:57:50 GMT',
        'Set-Cookie': ['session=abc; Path=/', 'theme=dark; Max-Age=3600', 'cart=3'],
      });
      res.end('hello');
    });
    const { model, exchanges } = sendingLab();
    model.setUrl(`http://127.0.0.1:${server.port}/shop/cart`);
    model.applyTemplate('get');
    expect(await model.send()).toBe('sent');
    expect(model.state.lastSend).toMatchObject({ requests: 1, reused: false, target: `127.0.0.1:${server.port}` });
    await responded(exchanges, 1);
    expect(exchanges.state.exchanges[0]?.response?.status).toBe(200);
    await until(() => model.state.responseWait === undefined, 'the response wait to end', 2000);

    // Set-Cookie went into the list for this origin, not into the text.
    expect(
      model
        .cookiesForTarget()
        .cookies.map((c) => `${c.name}=${c.value}`)
        .sort(),
    ).toEqual(['cart=3', 'session=abc', 'theme=dark']);
    // Without Path, a cookie's path is the request's directory (RFC 6265 default-path).
    expect(model.cookiesForTarget().cookies.find((c) => c.name === 'cart')?.path).toBe('/shop');
    expect(model.cookiesForTarget().cookies.find((c) => c.name === 'session')?.path).toBe('/');
    expect(model.state.text).not.toMatch(/Cookie/);
    model.cookieFromJar();
    model.conditionalFromLastResponse();
    expect(model.state.text).toMatch(/\r\nIf-None-Match: "v1"\r\n/);
    expect(model.state.text).toMatch(/\r\nIf-Modified-Since: Tue, 01 Mar 2016 18:57:50 GMT\r\n/);
    // Longest path first: the two set without Path belong to /shop, the request's directory.
    expect(model.state.text).toMatch(/\r\nCookie: theme=dark; cart=3; session=abc\r\n/);

    expect(await model.send()).toBe('sent');
    await responded(exchanges, 2);
    expect(exchanges.state.exchanges[1]?.response?.status).toBe(304);
    expect(server.requests[1]?.headers.cookie).toBe('theme=dark; cart=3; session=abc');
  });

  it('one click aims the composer at the built-in web server; GET then conditional GET → 200 then 304', async () => {
    const { lab, model, exchanges } = sendingLab();
    lab.webServer.setPort(String(await freeTcpPort()));
    expect(await lab.webServer.start()).toBe(true);
    closers.push(() => lab.webServer.stop());
    const local = lab.webServer.state.local;
    const url = `http://127.0.0.1:${local?.port}/`;
    model.setText('GET / HTTP/1.1\r\n\r\n');
    expect(model.targetBuiltInServer(url)).toBe(true);
    expect(model.state.url).toBe(url);
    expect(model.state.text).toBe(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${local?.port}\r\n\r\n`);
    expect(await model.send()).toBe('sent');
    await responded(exchanges, 1);
    expect(exchanges.state.exchanges[0]?.response?.status).toBe(200);
    model.conditionalFromLastResponse();
    expect(await model.send()).toBe('sent');
    await responded(exchanges, 2);
    expect(exchanges.state.exchanges[1]?.response?.status).toBe(304);
  });

  it('new connection per request vs one kept connection, and several requests pipelined at once', async () => {
    const server = await nodeServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 2 });
      res.end('ok');
    });
    const { model, exchanges } = sendingLab();
    model.setUrl(`http://127.0.0.1:${server.port}/`);
    model.applyTemplate('get');

    model.setConnection('new');
    await model.send();
    await responded(exchanges, 1);
    await model.send();
    await responded(exchanges, 2);
    expect(server.requests[0]?.remotePort).not.toBe(server.requests[1]?.remotePort);

    model.setConnection('keep');
    await model.send();
    await responded(exchanges, 3);
    await model.send();
    await responded(exchanges, 4);
    expect(model.state.lastSend?.reused).toBe(true);
    expect(server.requests[3]?.remotePort).toBe(server.requests[2]?.remotePort);

    model.setConnection('pipeline');
    model.appendRequest();
    model.appendRequest();
    expect(model.state.lint.requests).toBe(3);
    await model.send();
    expect(model.state.lastSend?.requests).toBe(3);
    await responded(exchanges, 7);
    expect(exchanges.state.exchanges.slice(4).map((e) => e.response?.status)).toEqual([200, 200, 200]);
    expect(new Set(server.requests.slice(4).map((r) => r.remotePort)).size).toBe(1);
  });

  it('a refused connection is said beside Send and shown as a failed exchange; the text stays', async () => {
    const port = await freeTcpPort();
    const { model, exchanges } = sendingLab();
    model.setUrl(`http://127.0.0.1:${port}/`);
    const text = model.state.text;
    expect(await model.send()).toBe('failed');
    expect(model.state.errors.send?.code).toBe('E_REFUSED');
    expect(model.state.errors.send?.message).toContain(String(port));
    expect(exchanges.state.exchanges.at(-1)?.phase).toBe('failed');
    expect(model.state.text).toBe(text);
    expect(model.state.phase).toBe('idle');
    expect(model.state.connectWait).toBeUndefined();
  });

  it('a self-signed certificate is refused with its details kept to show; once accepted it is the one used', async () => {
    const certificate = await makeSelfSignedCertificate('localhost');
    const server = createHttpsServer({ key: certificate.key, cert: certificate.cert }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as AddressInfo).port;
    const { model, exchanges } = sendingLab();
    model.setUrl(`https://localhost:${port}/`);
    model.applyTemplate('get');
    expect(await model.send()).toBe('failed');
    expect(model.state.errors.send?.code).toBe('E_TLS_CERT');
    const refused = model.state.refusedCertificate;
    expect(refused).toMatchObject({ selfSigned: true, authorized: false });
    expect(refused?.subject).toContain('CN=localhost');
    expect(refused?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

    model.setAcceptSelfSigned(true);
    expect(model.state.errors.send).toBeUndefined();
    expect(await model.send()).toBe('sent');
    expect(model.state.refusedCertificate).toBeUndefined();
    expect(model.state.lastSend?.certificate?.fingerprint256).toBe(refused?.fingerprint256);
    await responded(exchanges, 2);
    expect(exchanges.state.exchanges.at(-1)?.response?.status).toBe(200);

    // A later send that fails leaves no "Sent … from local port" of the earlier one beside its error.
    model.setUrl(`http://127.0.0.1:${await freeTcpPort()}/`);
    expect(await model.send()).toBe('failed');
    expect(model.state.errors.send?.code).toBe('E_REFUSED');
    expect(model.state.lastSend).toBeUndefined();
  });

  it('the connect deadline is visible and Cancel stops it; a passed deadline is said beside Send', async () => {
    // A TCP server that never answers the TLS handshake: connecting (TCP + TLS) never finishes.
    const open = new Set<Socket>();
    const silent = createNetServer((socket) => {
      open.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => open.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of open) socket.destroy();
          silent.close(() => resolve());
        }),
    );
    const { port } = silent.address() as AddressInfo;
    const { model } = sendingLab();
    model.setUrl(`https://127.0.0.1:${port}/`);
    const text = model.state.text;
    const sending = model.send();
    expect(model.state.phase).toBe('connecting');
    expect(model.state.connectWait).toMatchObject({ timeoutMs: 10_000 });
    model.cancelConnect();
    expect(await sending).toBe('failed');
    expect(model.state).toMatchObject({ phase: 'idle', connectWait: undefined });
    expect(model.state.note).toMatch(/was cancelled; nothing was sent/);
    await until(() => open.size === 0, 'the cancelled connection to close', 3000);

    model.setConnectDeadline('0.3');
    expect(await model.send()).toBe('failed');
    expect(model.state.errors.send?.code).toBe('E_TIMEOUT');
    expect(model.state.errors.send?.message).toContain(String(port));
    expect(model.state.text).toBe(text);
  });

  it('the response deadline is visible and Stop waiting closes the connection', async () => {
    const server = await nodeServer(() => {
      // Never answers.
    });
    const { model, exchanges } = sendingLab();
    model.setUrl(`http://127.0.0.1:${server.port}/`);
    model.applyTemplate('get');
    model.setResponseDeadline('20');
    expect(await model.send()).toBe('sent');
    expect(model.state.responseWait).toMatchObject({ timeoutMs: 20_000 });
    await model.cancelResponse();
    expect(model.state.responseWait).toBeUndefined();
    await responded(exchanges, 1);
    expect(exchanges.state.exchanges[0]?.phase).not.toBe('waiting');
  });
});
