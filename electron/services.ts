import { appServiceWith, type DesktopAbilities } from './app/service';
import type { Service } from './host/serve';
import { httpClientService } from './http/clientService';
import { webServerService } from './http/webServerService';
import { mailServerService } from './smtp/mailServerService';
import { smtpClientService } from './smtp/clientService';
import { tcpService } from './tcp/service';
import { udpService } from './udp/service';

/**
 * Every service the Node side offers, the same for Electron and browser mode; only
 * what the desktop app injects (its folder dialog) differs. Browser mode passes nothing.
 */
export function servicesWith(desktop: DesktopAbilities = {}): readonly Service[] {
  return [
    appServiceWith(desktop),
    udpService,
    tcpService,
    smtpClientService,
    mailServerService,
    webServerService,
    httpClientService,
  ];
}

/** The services as browser mode (and the tests) run them: no desktop abilities. */
export const services: readonly Service[] = servicesWith();
