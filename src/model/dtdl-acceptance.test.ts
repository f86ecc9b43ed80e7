// Realistic documents, written for these tests, must be accepted as they are.
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
  it('Operator (v2, DTMI member names, localized maps and arrays)', () => {
    const registry = new ModelRegistry();
    const [operator] = registry.add([fixture('crew-Operator.v2.json')]);
    expect(operator?.dtdlVersion).toBe(2);
    expect(operator?.displayName).toEqual({ en: 'Operator', de: 'Bediener', it: 'Operatore' });
    expect(operator?.description).toMatchObject({ de: expect.stringContaining('Werkstatt') as unknown });
    expect(operator?.properties.get('labels')?.schema).toMatchObject({
      kind: 'map',
      key: { name: 'labelName' },
      value: { kind: 'primitive', type: 'string' },
    });
    expect(operator?.properties.get('badgeNumber')?.writable).toBe(true);
    expect(operator?.relationships.get('certifiedFor')?.target).toBe('dtmi:imverse:fixture:crew:Skill;1');
  });

  it('Hatch (v3, @context array with QuantitativeTypes, extends a registered base)', () => {
    const registry = new ModelRegistry();
    registry.add([stub('dtmi:imverse:fixture:site:Opening;1', 3)]);
    const [hatch] = registry.add([fixture('site-Hatch.v3.json')]);
    expect(hatch?.extends).toEqual(['dtmi:imverse:fixture:site:Opening;1']);
    expect(registry.isOfModel(hatch?.id ?? '', 'dtmi:imverse:fixture:site:Opening;1')).toBe(true);
    expect(hatch?.telemetry.get('openingAngle')).toMatchObject({
      semanticTypes: ['Angle'],
      unit: 'degreeOfArc',
    });
  });

  it('NoiseMonitor (v2 semantic types and units, relationship multiplicity)', () => {
    const registry = new ModelRegistry();
    const [, noise] = registry.add([
      stub('dtmi:imverse:fixture:env:Observer;1', 2),
      fixture('env-NoiseMonitor.v2.json'),
    ]);
    expect(noise?.telemetry.get('levelAverage')).toMatchObject({
      semanticTypes: ['SoundPressure'],
      unit: 'decibel',
    });
    expect(noise?.properties.get('interval')).toMatchObject({ semanticTypes: ['TimeSpan'], unit: 'second' });
    expect(noise?.relationships.get('mountedOn')).toMatchObject({ minMultiplicity: 0, maxMultiplicity: 1 });
  });

  it('VehicleKind (string Enum)', () => {
    const [m] = new ModelRegistry().add([fixture('fleet-VehicleKind.v2.json')]);
    const schema = m?.properties.get('vehicleKind')?.schema;
    expect(schema?.kind === 'enum' && schema.values.length).toBe(12);
  });

  it('a file holding an array of v3 Interfaces (schemas, commands, components, inline base)', () => {
    const registry = new ModelRegistry();
    const added = registry.add([fixture('line-catalogue.v3.json')]);
    expect(added.map((m) => m.id)).toEqual(
      expect.arrayContaining(['dtmi:imverse:fixture:line:Camera;1', 'dtmi:imverse:fixture:line:Station;1']),
    );
    const camera = registry.get('dtmi:imverse:fixture:line:Camera;1');
    expect(camera?.telemetry.get('lastDefect')?.schema).toMatchObject({
      kind: 'object',
      id: 'dtmi:imverse:fixture:line:BoundingBox;1',
    });
    expect(camera?.commands.get('capture')?.request).toMatchObject({
      name: 'exposure',
      schema: { kind: 'primitive', type: 'duration' },
    });
    const station = registry.get('dtmi:imverse:fixture:line:Station;1');
    expect(station?.extends).toEqual(['dtmi:imverse:fixture:line:Asset;1']);
    expect(station?.properties.has('serial')).toBe(true);
    expect(station?.components.get('camera')?.schema).toBe('dtmi:imverse:fixture:line:Camera;1');
    expect(station?.properties.get('lampStates')?.schema.kind).toBe('array');
    expect(station?.relationships.get('inspectedBy')?.properties.get('since')?.schema).toEqual({
      kind: 'primitive',
      type: 'dateTime',
    });
  });
});
