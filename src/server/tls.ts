// The certificate and key the API (and the MQTTS listener) serve TLS with, read and checked once at
// start, so a wrong file stops the start with its name instead of failing the first handshake.
import { readFileSync } from 'node:fs';
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { ImverseError } from '../core/errors.js';
import type { Config } from '../core/config.js';

export interface TlsFiles {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** The PEM certificate and key of `tlsCert`/`tlsKey`, or undefined when TLS is not configured. */
export function readTlsFiles(config: Pick<Config, 'tlsCert' | 'tlsKey'>): TlsFiles | undefined {
  const { tlsCert, tlsKey } = config;
  if (tlsCert === undefined && tlsKey === undefined) return undefined;
  if (tlsCert === undefined || tlsKey === undefined) {
    const missing = tlsCert === undefined ? 'tlsCert' : 'tlsKey';
    throw invalid(missing, `TLS needs both tlsCert and tlsKey; ${missing} is not set`);
  }
  const cert = readPem('tlsCert', tlsCert);
  const key = readPem('tlsKey', tlsKey);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch (error) {
    throw invalid('tlsCert', `tlsCert ${tlsCert} is not a PEM certificate`, error);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    throw invalid('tlsKey', `tlsKey ${tlsKey} is not a PEM private key (or it is encrypted)`, error);
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw invalid('tlsKey', `tlsKey ${tlsKey} is not the private key of the certificate in ${tlsCert}`);
  }
  try {
    // What the listener will do with them: catches what the checks above let through (a bad chain).
    createSecureContext({ cert, key });
  } catch (error) {
    throw invalid('tlsCert', `tlsCert ${tlsCert} with tlsKey ${tlsKey}: ${(error as Error).message}`, error);
  }
  return { cert, key };
}

function readPem(setting: 'tlsCert' | 'tlsKey', file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw invalid(setting, `${setting} ${file} cannot be read (${reason})`, error);
  }
}

function invalid(setting: string, message: string, cause?: unknown): ImverseError {
  return new ImverseError('IMV_CONFIG_INVALID', message, {
    path: `/${setting}`,
    ...(cause === undefined ? {} : { cause }),
  });
}
