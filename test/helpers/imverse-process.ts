// `imverse start` as a process of its own, for tests that kill it; reads the URLs and token it prints.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ImverseProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** The embedded broker's URL, when it runs. */
  readonly mqtt?: string;
  /** The admin token, printed on the first start of a data directory only. */
  readonly token?: string;
  /** What it printed up to "Press Ctrl+C". */
  readonly output: string;
}

export async function startImverseProcess(dataDir: string, extra: string[] = []): Promise<ImverseProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'start',
      '--port',
      '0',
      '--mqtt-port',
      '0',
      '--data',
      dataDir,
      '--log-level',
      'warn',
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 30 s:\n${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const url = /running at (http:\/\/\S+?)\/?\n/.exec(out)?.[1];
      if (url && out.includes('Ctrl+C')) {
        clearTimeout(timer);
        const mqtt = /MQTT:\s+(mqtt:\/\/\S+)/.exec(out)?.[1];
        const token = /\n\s+(imv_\S+)\n/.exec(out)?.[1];
        resolve({ child, url, output: out, ...(mqtt ? { mqtt } : {}), ...(token ? { token } : {}) });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });
}
