// The CA whose certificates identify MQTT devices (tlsClientCa), read and checked once at start.
import { X509Certificate } from 'node:crypto';
import { ImverseError } from '../core/errors.js';
import type { Config } from '../core/config.js';
import { readUserText } from './user-files.js';

/** The PEM CA of `tlsClientCa`, or undefined when device certificates are not configured. */
export function readClientCa(config: Pick<Config, 'tlsClientCa' | 'tlsCert'>): string | undefined {
  const file = config.tlsClientCa;
  if (file === undefined) return undefined;
  const invalid = (message: string, cause?: unknown): ImverseError =>
    new ImverseError('IMV_CONFIG_INVALID', message, {
      path: '/tlsClientCa',
      ...(cause === undefined ? {} : { cause }),
    });
  if (config.tlsCert === undefined) {
    throw invalid('tlsClientCa needs tlsCert and tlsKey: device certificates are checked over MQTTS only');
  }
  let pem: string;
  try {
    pem = readUserText(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw invalid(`tlsClientCa ${file} cannot be read (${reason})`, error);
  }
  try {
    new X509Certificate(pem);
  } catch (error) {
    throw invalid(`tlsClientCa ${file} is not a PEM certificate`, error);
  }
  return pem;
}
