// A certificate authority and the client certificates it signs for MQTT devices, made at test time
// with openssl.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CertificateFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

const P256 = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(args: readonly string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

/** A CA certificate valid for a day, written into `dir` as NAME.pem and NAME.key. */
export function makeCertificateAuthority(dir: string, name = 'device-ca'): CertificateFiles {
  const certFile = join(dir, `${name}.pem`);
  const keyFile = join(dir, `${name}.key`);
  openssl([
    'req',
    '-x509',
    ...P256,
    '-days',
    '1',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout',
    keyFile,
    '-out',
    certFile,
  ]);
  return { certFile, keyFile };
}

/** A client certificate with the common name `commonName`, signed by `ca` (or self-signed without it). */
export function makeClientCertificate(
  dir: string,
  commonName: string,
  ca?: CertificateFiles,
  name = commonName,
): CertificateFiles {
  const certFile = join(dir, `${name}.pem`);
  const keyFile = join(dir, `${name}.key`);
  if (ca === undefined) {
    openssl([
      'req',
      '-x509',
      ...P256,
      '-days',
      '1',
      '-subj',
      `/CN=${commonName}`,
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ]);
    return { certFile, keyFile };
  }
  const csr = join(dir, `${name}.csr`);
  const extensions = join(dir, `${name}.ext`);
  writeFileSync(extensions, 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');
  openssl(['req', '-new', ...P256, '-subj', `/CN=${commonName}`, '-keyout', keyFile, '-out', csr]);
  openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.certFile,
    '-CAkey',
    ca.keyFile,
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    extensions,
    '-out',
    certFile,
  ]);
  return { certFile, keyFile };
}
