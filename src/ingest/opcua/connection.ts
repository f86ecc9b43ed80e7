// What the OPC UA source and `imverse opcua browse` share: the node-opcua client made from the
// validated connection settings, the session identity, and node-opcua's errors turned into what
// an integrator can act on.
import {
  MessageSecurityMode,
  OPCUAClient,
  SecurityPolicy,
  UserTokenType,
  type OPCUAClientOptions,
  type UserIdentityInfo,
} from 'node-opcua';
import { ImverseError } from '../../core/errors.js';
import type { CompiledOpcUaConnection } from './config.js';

const SESSION_REFUSED = /BadUserAccessDenied|BadIdentityToken(Rejected|Invalid)/;
const SECURITY_REFUSED =
  /BadSecurityPolicyRejected|BadSecurityModeRejected|cannot find endpoint|no endpoint/i;
const SERVER_UNTRUSTED = /server certificate verification failed/i;
const CERTIFICATE_REFUSED = /BadCertificate|BadSecurityChecksFailed/;
const UNREACHABLE = /\b(?:ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EAI_AGAIN)\b[^)\n]*/;

/** Turns node-opcua's errors into what an integrator can act on. */
export function explain(error: unknown, config: CompiledOpcUaConnection): ImverseError {
  const err = error instanceof Error ? error : new Error(String(error));
  const text = err.message;
  const where = `OPC UA server ${config.endpointUrl}`;
  let message: string;
  const unreachable = UNREACHABLE.exec(text);
  if (unreachable) {
    // node-opcua wraps the socket error in several lines of advice; the socket error says it all.
    return new ImverseError(
      'IMV_OPCUA_UNREACHABLE',
      `${where} is unreachable (${unreachable[0].trim()}): check the host name and port, and that the server is running`,
      { cause: err },
    );
  }
  if (SESSION_REFUSED.test(text)) {
    message =
      config.userName === undefined
        ? `${where} refused an anonymous session: configure userName and password`
        : `${where} refused the user name or password of "${config.userName}": check the credentials`;
  } else if (SERVER_UNTRUSTED.test(text)) {
    const folder = config.pkiFolder ?? "node-opcua's PKI folder";
    message = `Imverse does not trust the certificate of ${where}: move it from ${folder}/rejected to ${folder}/trusted/certs`;
  } else if (CERTIFICATE_REFUSED.test(text)) {
    message = `${where} does not trust this client's certificate: trust it on the server (it is in the server's rejected certificates)`;
  } else if (SECURITY_REFUSED.test(text)) {
    message = `${where} offers no endpoint with securityMode ${config.securityMode} and securityPolicy ${config.securityPolicy}`;
  } else {
    message = `${where}: ${text}`;
  }
  return new ImverseError('IMV_OPCUA_SESSION_REFUSED', `${message} (${text.split('\n')[0]})`, { cause: err });
}

export function identityOf(config: CompiledOpcUaConnection): UserIdentityInfo {
  return config.userName === undefined
    ? { type: UserTokenType.Anonymous }
    : { type: UserTokenType.UserName, userName: config.userName, password: config.password ?? '' };
}

/** A node-opcua client with the settings' security; `options` adds what the caller needs. */
export function createOpcUaClient(
  config: CompiledOpcUaConnection,
  options: OPCUAClientOptions & { readonly clientName: string },
): OPCUAClient {
  return OPCUAClient.create({
    applicationName: 'Imverse',
    endpointMustExist: false,
    securityMode: MessageSecurityMode[config.securityMode],
    securityPolicy: SecurityPolicy[config.securityPolicy],
    ...options,
  });
}
