import { appServiceWith, type DesktopAbilities } from './app/service';
import type { Service } from './service';
import { dnsClientService } from './dns/client/service';
import { dnsServerService } from './dns/server/service';
import { httpClientService } from './http/client/service';
import { webServerService } from './http/server/service';
import { mailServerService } from './smtp/server/service';
import { smtpClientService } from './smtp/client/service';
import { tcpClientService } from './tcp/client/service';
import { tcpServerService } from './tcp/server/service';
import { udpClientService } from './udp/client/service';
import { udpServerService } from './udp/server/service';

/**
 * Every service the Node side offers, the same for Electron and browser mode; only
 * what the desktop app injects (its folder dialog) differs. Browser mode passes nothing.
 */
export function servicesWith(desktop: DesktopAbilities = {}): readonly Service[] {
  return [
    appServiceWith(desktop),
    udpClientService,
    udpServerService,
    tcpClientService,
    tcpServerService,
    smtpClientService,
    mailServerService,
    webServerService,
    httpClientService,
    dnsClientService,
    dnsServerService,
  ];
}

/** The services as browser mode (and the tests) run them: no desktop abilities. */
export const services: readonly Service[] = servicesWith();
