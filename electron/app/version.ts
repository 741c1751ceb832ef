import packageJson from '../../package.json' with { type: 'json' };

export const appVersion: string = packageJson.version;
export const productName: string = packageJson.productName;
