// Real-world and specification documents must be accepted as they are.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelRegistry } from './registry.js';

const fixture = (name: string): { source: string; content: unknown } => ({
  source: name,
  content: JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as unknown,
});

const stub = (id: string, version: 2 | 3): { source: string; content: unknown } => ({
  source: 'stub',
  content: { '@context': `dtmi:dtdl:context;${version}`, '@id': id, '@type': 'Interface' },
});

describe('accepted documents', () => {
  it('RealEstateCore Agent (v2, DTMI member names, localized maps)', () => {
    const registry = new ModelRegistry();
    const [agent] = registry.add([fixture('rec-Agent.v2.json')]);
    expect(agent?.dtdlVersion).toBe(2);
    expect(agent?.displayName).toEqual({ en: 'Agent' });
    expect(agent?.properties.get('customTags')?.schema).toMatchObject({
      kind: 'map',
      key: { name: 'tagName' },
      value: { kind: 'primitive', type: 'string' },
    });
    expect(agent?.relationships.get('hasRole')?.target).toBe('dtmi:digitaltwins:rec_3_3:business:Role;1');
  });

  it('RealEstateCore Door (v3, @context array, extends a registered base)', () => {
    const registry = new ModelRegistry();
    registry.add([stub('dtmi:digitaltwins:rec_3_3:asset:BarrierAsset;1', 3)]);
    const [door] = registry.add([fixture('rec-Door.v3.json')]);
    expect(door?.extends).toEqual(['dtmi:digitaltwins:rec_3_3:asset:BarrierAsset;1']);
    expect(registry.isOfModel(door?.id ?? '', 'dtmi:digitaltwins:rec_3_3:asset:BarrierAsset;1')).toBe(true);
  });

  it('smart-cities NoiseLevelObserved (v2 semantic types and units)', () => {
    const registry = new ModelRegistry();
    const [, noise] = registry.add([
      stub('dtmi:digitaltwins:ngsi_ld:city:EnvironmentBaseModel;1', 2),
      fixture('city-NoiseLevelObserved.v2.json'),
    ]);
    expect(noise?.telemetry.get('LAeq')).toMatchObject({ semanticTypes: ['SoundPressure'], unit: 'decibel' });
    expect(noise?.relationships.get('refDevice')).toMatchObject({ minMultiplicity: 0, maxMultiplicity: 1 });
  });

  it('smart-cities allowedVehicleType (string Enum)', () => {
    const [m] = new ModelRegistry().add([fixture('city-allowedVehicleType.v2.json')]);
    const schema = m?.properties.get('allowedVehicleType')?.schema;
    expect(schema?.kind === 'enum' && schema.values.length).toBe(17);
  });

  it('the examples of the v3 reference and of QuantitativeTypes v1', () => {
    const registry = new ModelRegistry();
    const added = registry.add([fixture('spec-examples.v3.json')]);
    expect(added.map((m) => m.id)).toContain('dtmi:com:example:Sensor;1');
    expect(registry.get('dtmi:com:example:ConferenceRoom;1')?.properties.has('occupied')).toBe(true);
    const accel = registry
      .get('dtmi:com:example:ReusableTypeExample;1')
      ?.telemetry.get('accelerometer1')?.schema;
    expect(accel).toMatchObject({ kind: 'object', id: 'dtmi:com:example:acceleration;1' });
    const building = registry.get('dtmi:com:example:Building;1');
    expect(building?.commands.get('reboot')?.request).toMatchObject({
      name: 'rebootTime',
      schema: { kind: 'primitive', type: 'dateTime' },
    });
    expect(building?.properties.get('ledState')?.schema.kind).toBe('array');
    expect(building?.relationships.get('cleanedBy')?.properties.get('lastCleaned')?.schema).toEqual({
      kind: 'primitive',
      type: 'dateTime',
    });
  });
});
