/**
 * The application menu, as plain data for `Menu.buildFromTemplate`. Electron's
 * default menu has Reload and Toggle Developer Tools; a release build must not:
 * a reload ends every open session, and DevTools hands a student's machine a
 * console into the privileged page. Development builds keep both.
 */

/** The few MenuItemConstructorOptions members used here; Electron's type accepts these. */
export interface MenuItemTemplate {
  role?: MenuRole;
  label?: string;
  type?: 'separator';
  submenu?: MenuItemTemplate[];
}

export type MenuRole =
  | 'appMenu'
  | 'editMenu'
  | 'windowMenu'
  | 'fileMenu'
  | 'quit'
  | 'close'
  | 'minimize'
  | 'zoom'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools';

/** Roles that must not appear in a release build's menu (nor their accelerators). */
export const developmentOnlyRoles: readonly MenuRole[] = ['reload', 'forceReload', 'toggleDevTools'];

export function appMenuTemplate(options: { platform: NodeJS.Platform; packaged: boolean }): MenuItemTemplate[] {
  const view: MenuItemTemplate = {
    label: 'View',
    submenu: [
      ...(options.packaged
        ? []
        : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }]),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ] as MenuItemTemplate[],
  };
  // Copy and paste shortcuts work on macOS only through an Edit menu.
  if (options.platform === 'darwin') return [{ role: 'appMenu' }, { role: 'editMenu' }, view, { role: 'windowMenu' }];
  return [{ role: 'fileMenu' }, { role: 'editMenu' }, view];
}

/** Every role in a template, submenus included. */
export function menuRoles(template: readonly MenuItemTemplate[]): MenuRole[] {
  return template.flatMap((item) => [...(item.role ? [item.role] : []), ...menuRoles(item.submenu ?? [])]);
}
