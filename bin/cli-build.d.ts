export function cliBundlePath(root: string): string;
export function packageVersion(root: string): string;
export function cliIsStale(root: string): boolean;
export function buildCli(root: string): Promise<void>;
