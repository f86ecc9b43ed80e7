// Self-signed certificates made at test time with openssl, for the TLS listeners.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface TestCertificate {
  /** PEM files: the certificate (which is its own CA) and its unencrypted private key. */
  readonly certFile: string;
  readonly keyFile: string;
}

/** A P-256 certificate for localhost and 127.0.0.1, valid for a day, written into `dir` as NAME.pem and NAME.key. */
export function makeCertificate(dir: string, name = 'server'): TestCertificate {
  const certFile = join(dir, `${name}.pem`);
  const keyFile = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile };
}
