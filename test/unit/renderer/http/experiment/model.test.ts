import { afterEach, describe, expect, it } from 'vitest';
import { HttpExchanges } from '../../../../../renderer/http/client/exchanges';
import { ExperimentModel } from '../../../../../renderer/http/experiment/model';
import { type App, startApp } from '../../../../support/appClient';
import { until } from '../../../../support/waits';

/** The experiment against the real Node side (its own web server, the real http.send client). */

let app: App;
const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0).reverse()) close();
});

function setup(): { model: ExperimentModel; exchanges: HttpExchanges } {
  app = startApp();
  const exchanges = new HttpExchanges(app.client);
  const model = new ExperimentModel(app.client);
  closers.push(() => {
    model.dispose();
    exchanges.dispose();
    app.close();
  });
  return { model, exchanges };
}

describe('the persistent vs non-persistent experiment', () => {
  it('runs the four modes: connections and requests per connection as the modes say, a CSV table', async () => {
    const { model, exchanges } = setup();
    model.setField('objects', '3');
    model.setField('size', '500');
    model.setField('delay', '5');
    await expect(model.run()).resolves.toBe(true);
    const results = model.state.results;
    expect(results.map((r) => [r.mode, r.connections, r.requestsPerConnection])).toEqual([
      ['serial', 4, 1],
      ['parallel', 4, 1],
      ['persistent', 1, 4],
      ['pipelined', 1, 4],
    ]);
    expect(model.state.rttMs).toBeGreaterThanOrEqual(9);
    for (const r of results) expect(r.prediction.totalMs).toBeGreaterThan(0);
    const csv = model.csv().split('\r\n');
    expect(csv[0]).toMatch(/^mode,measured total \(ms\),predicted total \(ms\)/);
    expect(csv[1]).toMatch(/^"Non-persistent, serial",\d/);
    expect(csv).toHaveLength(6);
    // Its exchanges are forgotten afterwards, and the response viewer holds none of their events.
    await until(() => exchanges['earlyCount'] === 0, 'the held events let go');
  });

  it('refuses fields out of range beside them, without starting anything', async () => {
    const { model } = setup();
    model.setField('objects', '0');
    model.setField('delay', 'soon');
    await expect(model.run()).resolves.toBe(false);
    expect(model.state.errors.objects).toMatch(/whole number from 1 to 50/);
    expect(model.state.errors.delay).toMatch(/one-way delay/);
    expect(model.state.running).toBe(false);
  });
});
