// `imverse twin import FILE`: bulk import with a progress bar.
import { SingleBar, Presets } from 'cli-progress';
import { importPlantFile, openCore } from '../server/platform.js';
import { loadConfig } from './options.js';

export async function twinImportCommand(file: string, options: { data?: string }): Promise<void> {
  const config = loadConfig({ dataDir: options.data });
  const core = await openCore(config);
  const bar = new SingleBar(
    { format: 'importing [{bar}] {percentage}% | {value}/{total} twins and relationships', hideCursor: true },
    Presets.shades_classic,
  );
  const started = performance.now();
  let barStarted = false;
  try {
    const counts = await importPlantFile(core.graph, file, (progress, total) => {
      if (!barStarted) {
        bar.start(total.twins + total.relationships, 0);
        barStarted = true;
      }
      bar.update(progress.twins + progress.relationships);
    });
    if (barStarted) bar.stop();
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `imported ${counts.twins} twins and ${counts.relationships} relationships into ${config.dataDir} in ${seconds.toFixed(2)} s`,
    );
  } finally {
    if (barStarted) bar.stop();
    await core.close();
  }
}
