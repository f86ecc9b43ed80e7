// Which equipment the virtual plant gives signals to: what each simulated station hosts in the
// plant file (its machines and robots) and the sensors those carry.
import type { PlantDefinition } from '../../twin/plant.js';
import type { HostedAsset } from './VirtualPlant.js';

/** Equipment kinds that draw power and get hot while their station works. */
const POWERED = new Set(['dtmi:imverse:Machine;1', 'dtmi:imverse:Robot;1']);
const SENSOR = 'dtmi:imverse:Sensor;1';
/** kW of a machine whose plant file states no rated power. */
const DEFAULT_RATED_POWER = 15;

export function hostedAssets(plant: PlantDefinition, stations: readonly string[]): HostedAsset[] {
  const suffix = (id: string) => id.slice(plant.prefix.length + 1);
  const twins = new Map(plant.twins.map((twin) => [twin.id, twin]));
  const hosts = new Map<string, string[]>();
  for (const r of plant.relationships) {
    if (r.name !== 'hosts') continue;
    const list = hosts.get(r.source) ?? [];
    list.push(r.target);
    hosts.set(r.source, list);
  }
  const assets: HostedAsset[] = [];
  for (const station of stations) {
    for (const id of hosts.get(`${plant.prefix}/${station}`) ?? []) {
      const twin = twins.get(id);
      if (twin === undefined || !POWERED.has(twin.model)) continue;
      const sensors = (hosts.get(id) ?? [])
        .map((sensorId) => twins.get(sensorId))
        .filter((sensor) => sensor?.model === SENSOR && typeof sensor.properties.sensorType === 'string')
        .map((sensor) => ({ id: suffix(sensor!.id), kind: sensor!.properties.sensorType as string }));
      const rated = twin.properties.ratedPower;
      assets.push({
        id: suffix(id),
        station,
        ratedPower: typeof rated === 'number' && rated > 0 ? rated : DEFAULT_RATED_POWER,
        sensors,
      });
    }
  }
  return assets;
}
