/**
 * electron-builder's own code, loaded from where electron-builder finds it, so the
 * tests check the config with the very functions a build runs. A full deb or
 * AppImage build needs downloaded tools; its Linux target helper (the .desktop
 * entry and the menu icons) is run here on a stand-in for the packager that holds
 * what a real one would: package.json with extraMetadata merged in, the product
 * name, the config, and electron-builder's own icon resolver.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { projectRoot } from '../../../../electron/cli/build';
import packageJson from '../../../../package.json' with { type: 'json' };

export const builderRequire = createRequire(createRequire(import.meta.url).resolve('app-builder-lib/package.json'));

export type BuilderConfig = Record<string, unknown> & {
  productName: string;
  extraMetadata?: Record<string, unknown>;
  directories: { buildResources: string };
  linux: Record<string, unknown> & { executableName: string };
};

const { getConfig } = builderRequire('./out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string, fromOptions: null): Promise<BuilderConfig>;
};

/** A config file as electron-builder loads it (with `extends` merged). */
export function loadBuilderConfig(path: string): Promise<BuilderConfig> {
  return getConfig(projectRoot, path, null);
}

export interface LinuxIcon {
  readonly file: string;
  readonly size: number;
}

interface LinuxTargetHelper {
  computeDesktopEntry(options: object): Promise<string>;
  readonly icons: Promise<LinuxIcon[]>;
}

/**
 * electron-builder's LinuxTargetHelper for `config`. `iconOutDir` is where its icon
 * resolver would write converted icons (a converted icon means a download).
 */
export function linuxTargetHelper(config: BuilderConfig, iconOutDir: string): LinuxTargetHelper {
  // The package's entry first: its modules require each other in a cycle that only resolves from there.
  const { PlatformPackager } = builderRequire('./out/index.js') as {
    PlatformPackager: { prototype: { resolveIcon(...args: unknown[]): Promise<LinuxIcon[]> } };
  };
  const { LinuxTargetHelper } = builderRequire('./out/targets/LinuxTargetHelper.js') as {
    LinuxTargetHelper: new (packager: object) => LinuxTargetHelper;
  };
  const packager = {
    appInfo: {
      productName: config.productName,
      sanitizedProductName: config.productName,
      description: packageJson.description,
    },
    executableName: config.linux.executableName,
    info: { metadata: { ...packageJson, ...config.extraMetadata }, framework: { name: 'electron' } },
    fileAssociations: [],
    config,
    platformSpecificBuildOptions: config.linux,
    projectDir: projectRoot,
    buildResourcesDir: resolve(projectRoot, config.directories.buildResources),
    expandMacro: () => iconOutDir,
    getDefaultFrameworkIcon: () => null,
    resolveIcon(...args: unknown[]) {
      return PlatformPackager.prototype.resolveIcon.apply(this, args);
    },
  };
  return new LinuxTargetHelper(packager);
}
