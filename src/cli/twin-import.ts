// `imverse twin import FILE`: bulk import with a progress bar.
import { SingleBar, Presets } from 'cli-progress';
import { openCore } from '../server/platform.js';
import { importPlant, readPlantFile } from '../server/plant-file.js';
import { leavingNothingOnFailure } from './data-dir-guard.js';
import { loadConfig } from './options.js';

export async function twinImportCommand(file: string, options: { data?: string }): Promise<void> {
  const config = loadConfig({ dataDir: options.data });
  // A file with mistakes is refused before the data directory is opened (or created).
  const plant = readPlantFile(file);
  await leavingNothingOnFailure(config.dataDir, async () => {
    const core = await openCore(config);
    const bar = new SingleBar(
      {
        format: 'importing [{bar}] {percentage}% | {value}/{total} twins and relationships',
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    const started = performance.now();
    let barStarted = false;
    try {
      const counts = await importPlant(core.graph, plant, (progress, total) => {
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
  });
}
