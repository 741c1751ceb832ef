/**
 * electron-builder.yml and the test profile against electron-builder's own JSON
 * schema (app-builder-lib/scheme.json, validated with ajv as electron-builder does,
 * so an unknown or misplaced key fails here rather than on a lab machine's build),
 * and the release decisions the issue asks for.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../../electron/cli/build';
import { distPlan, releaseConfig, testConfig } from '../../../../electron/cli/dist';
import packageJson from '../../../../package.json' with { type: 'json' };
import { builderRequire, linuxTargetHelper, loadBuilderConfig } from './builderHarness';

const yaml = builderRequire('js-yaml') as { load(text: string): unknown };
const { getConfig, validateConfiguration } = builderRequire('./out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string, fromOptions: null): Promise<Config>;
  validateConfiguration(config: Config, debugLogger: { isEnabled: boolean; add(): void }): Promise<void>;
};
const schema = JSON.parse(readFileSync(builderRequire.resolve('./scheme.json'), 'utf8')) as object;

type Config = Record<string, unknown> & {
  electronFuses?: Record<string, boolean> | null;
  linux?: Record<string, unknown>;
};

// The same options as electron-builder's validator (strict off: the schema has its own `typeof` keyword).
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

function problems(config: unknown): string[] {
  return validate(structuredClone(config))
    ? []
    : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`);
}

const load = (path: string) => yaml.load(readFileSync(path, 'utf8')) as Config;
const release = load(releaseConfig);
const testProfile = load(testConfig);

describe('electron-builder.yml', () => {
  it('validates against electron-builder’s own schema, and so does the test profile', () => {
    expect(problems(release)).toEqual([]);
    expect(problems(testProfile)).toEqual([]);
  });

  it('fails validation for unknown or misplaced keys (the schema check is not a no-op)', () => {
    expect(problems({ ...release, shipTests: true }).join('\n')).toMatch(/additional properties/);
    expect(problems({ ...release, linux: { ...release.linux, categroy: 'Network' } })).not.toEqual([]);
    // homepage belongs in package.json, not in the builder config.
    expect(problems({ ...release, homepage: 'https://example.com' })).not.toEqual([]);
    expect(problems({ ...release, electronFuses: { ...release.electronFuses, runAsNod: false } })).not.toEqual([]);
  });

  it('passes the very check electron-builder runs before a build, which refuses an unknown key', async () => {
    const quiet = { isEnabled: false, add() {} };
    for (const path of [releaseConfig, testConfig]) {
      await expect(validateConfiguration(await getConfig(projectRoot, path, null), quiet)).resolves.toBeUndefined();
    }
    const merged = await getConfig(projectRoot, releaseConfig, null);
    await expect(validateConfiguration({ ...merged, shipTests: true }, quiet)).rejects.toThrow(
      /unknown property 'shipTests'/,
    );
    await expect(
      validateConfiguration({ ...merged, nsis: { ...(merged.nsis as object), perMachin: true } }, quiet),
    ).rejects.toThrow(/does not match the API schema/);
  });

  it('builds every lab target and publishes nothing', async () => {
    const config = await getConfig(projectRoot, releaseConfig, null);
    expect(config).toMatchObject({
      appId: 'edu.protocolplayground.app',
      productName: 'Protocol Playground',
      asar: true,
      publish: null,
      npmRebuild: false,
      linux: {
        target: ['AppImage', 'deb'],
        category: 'Network;Education',
        maintainer: expect.stringMatching(/<.+@.+>/),
      },
      win: { target: ['nsis', 'portable'] },
      mac: { target: [{ target: 'dmg' }], category: 'public.app-category.education' },
      nsis: { oneClick: false, allowElevation: true },
    });
    const nsis = config.nsis as { artifactName: string };
    const portable = config.portable as { artifactName: string };
    expect(nsis.artifactName).not.toBe(portable.artifactName);
    // Both are .exe files in the same folder: the names must differ by more than the extension.
    expect(nsis.artifactName.replace('${ext}', 'exe')).not.toBe(portable.artifactName.replace('${ext}', 'exe'));
  });

  it('packs only the built app: no sources, maps or node_modules', async () => {
    const config = await getConfig(projectRoot, releaseConfig, null);
    const [files] = config.files as Array<{ filter: string[] }>;
    expect(files?.filter).toEqual(
      expect.arrayContaining([
        'package.json',
        'dist/electron/main.cjs',
        'dist/electron/preload.cjs',
        'dist/renderer/**',
        '!node_modules/**',
        '!**/*.map',
      ]),
    );
    // Everything included is named here; anything new must be added on purpose.
    expect(files?.filter.filter((pattern) => !pattern.startsWith('!'))).toEqual([
      'package.json',
      'dist/electron/main.cjs',
      'dist/electron/preload.cjs',
      'dist/renderer/**',
      'electron/http/server/sampleSite/**',
    ]);
  });

  it('flips the release fuses', () => {
    expect(release.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
      resetAdHocDarwinSignature: true,
    });
  });

  it('the test profile is the release config with the fuses skipped, and nothing else changed', async () => {
    const merged = await getConfig(projectRoot, testConfig, null);
    const releaseMerged = await getConfig(projectRoot, releaseConfig, null);
    expect(merged.electronFuses).toBeNull();
    const { electronFuses: _a, extends: _b, ...rest } = merged;
    const { electronFuses: _c, ...releaseRest } = releaseMerged;
    expect(rest).toEqual(releaseRest);
  });

  it('has what a deb needs from package.json (homepage, author email) and a 1024×1024 icon', () => {
    expect(packageJson.homepage).toMatch(/^https:\/\//);
    expect(packageJson.author.email).toMatch(/.+@.+/);
    expect(release.icon).toBe('electron/assets/icon.png');
    const png = readFileSync(join(projectRoot, 'electron/assets/icon.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
  });
});

describe('the Linux menu entry (AppImage and deb)', () => {
  /** The .desktop file as electron-builder would write it, as name → value. */
  async function desktopEntry(): Promise<Map<string, string>> {
    const config = await loadBuilderConfig(releaseConfig);
    const text = await linuxTargetHelper(config, tmpdir()).computeDesktopEntry(config.linux);
    return new Map(
      text
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
  }

  it('is filed under Network and Education', async () => {
    // electron-builder writes linux.category over desktop.entry's Categories, so both must be in the former.
    expect((await desktopEntry()).get('Categories')).toBe('Network;Education;');
  });

  it('names the running window as the entry, so docks show the app’s icon (Wayland app_id, X11 WM_CLASS)', async () => {
    const entry = await desktopEntry();
    // Electron derives both from the packaged package.json's desktopName.
    expect((await loadBuilderConfig(releaseConfig)).extraMetadata?.desktopName).toBe('protocol-playground.desktop');
    expect(entry.get('StartupWMClass')).toBe('protocol-playground');
    expect(entry.get('Icon')).toBe('protocol-playground');
    expect(entry.get('Name')).toBe('Protocol Playground');
  });
});

describe('the AppImage', () => {
  /** The .desktop entry electron-builder's AppImage target would write for `config`. */
  async function appImageDesktopEntry(config: Awaited<ReturnType<typeof loadBuilderConfig>>): Promise<string> {
    const helper = linuxTargetHelper(config, tmpdir());
    const { default: AppImageTarget } = builderRequire('./out/targets/appimage/AppImageTarget.js') as {
      default: new (
        ignored: null,
        packager: object,
        helper: object,
        outDir: string,
      ) => { desktopEntry: { value: Promise<string> } };
    };
    const packager = (helper as unknown as { packager: { appInfo: Record<string, unknown> } }).packager;
    packager.appInfo.buildVersion = packageJson.version;
    return new AppImageTarget(null, packager, helper, tmpdir()).desktopEntry.value;
  }

  it('uses the static runtime (no libfuse2 needed), whose menu entry keeps the sandbox on', async () => {
    const config = await loadBuilderConfig(releaseConfig);
    expect(config.toolsets).toEqual({ appimage: '1.0.3' });
    const exec = /^Exec=(.*)$/m.exec(await appImageDesktopEntry(config))?.[1];
    expect(exec).toBe('AppRun %U');
    // The legacy FUSE 2 toolset would start it with the sandbox off (the check is not a no-op).
    const legacy = await appImageDesktopEntry({ ...config, toolsets: { appimage: '0.0.0' } });
    expect(/^Exec=(.*)$/m.exec(legacy)?.[1]).toContain('--no-sandbox');
  });
});

describe('npm run dist', () => {
  it('builds release installers for this platform, unsigned unless signing variables are set', () => {
    expect(distPlan([], {})).toEqual({
      args: ['--config', releaseConfig, '--publish', 'never'],
      env: { CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
    });
    expect(distPlan(['--win', 'nsis'], { CSC_LINK: '/secure/cert.p12' })).toEqual({
      args: ['--config', releaseConfig, '--publish', 'never', '--win', 'nsis'],
      env: {},
    });
  });

  it('--test makes an unpacked build with the fuse-free profile', () => {
    expect(distPlan(['--test'], {}).args).toEqual(['--config', testConfig, '--publish', 'never', '--dir']);
  });
});
