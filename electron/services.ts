import { appService } from './app/service';
import type { Service } from './host/serve';
import { httpClientService } from './http/clientService';
import { webServerService } from './http/webServerService';
import { mailServerService } from './smtp/mailServerService';
import { smtpClientService } from './smtp/clientService';
import { tcpService } from './tcp/service';
import { udpService } from './udp/service';

/** Every service the Node side offers, the same for Electron and browser mode. */
export const services: readonly Service[] = [
  appService,
  udpService,
  tcpService,
  smtpClientService,
  mailServerService,
  webServerService,
  httpClientService,
];
