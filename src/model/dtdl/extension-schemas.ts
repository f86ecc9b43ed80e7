// Schemas that language extensions define by name: the IoT Central extension's `geopoint` and
// `vector` (DTDL v2, dtmi:iotcentral:context;2), which are Objects of doubles, and the
// QuantitativeTypes extension's unit types (`TemperatureUnit` …, DTDL v3), which are Enums of their
// units. Each is known only while its extension is in the element's @context.
import type { FieldInfo, Schema } from '../types.js';
import { hasQuantitativeTypes, type ActiveContext } from './context.js';
import { QT1_UNIT_TYPES } from './semantic-types.js';

const IOT_CENTRAL = 'dtmi:iotcentral:context;2';

const doubles = (...names: string[]): FieldInfo[] =>
  names.map((name) => ({ name, schema: { kind: 'primitive', type: 'double' }, semanticTypes: [] }));

/** As DTDL.v2.PartnerExtension.iotcentral.Elements.json defines them. */
const IOT_CENTRAL_SCHEMAS: Readonly<Record<string, Schema>> = {
  geopoint: { kind: 'object', id: 'dtmi:iotcentral:schema:geopoint;2', fields: doubles('lon', 'lat', 'alt') },
  vector: { kind: 'object', id: 'dtmi:iotcentral:schema:vector;2', fields: doubles('x', 'y', 'z') },
};

const QT1_ENUM_PREFIX = 'dtmi:dtdl:extension:quantitativeTypes:v1:enum:';

/** The schema an extension in `ctx` defines under this term or DTMI, if any. */
export function extensionSchema(text: string, ctx: ActiveContext): Schema | undefined {
  if (ctx.extensions.get('dtmi:iotcentral:context') === IOT_CENTRAL) {
    const term = /^dtmi:iotcentral:schema:([a-z]+);2$/.exec(text)?.[1] ?? text;
    const schema = IOT_CENTRAL_SCHEMAS[term];
    if (schema !== undefined) return schema;
  }
  if (hasQuantitativeTypes(ctx)) {
    const unitType = text.startsWith(QT1_ENUM_PREFIX) ? text.slice(QT1_ENUM_PREFIX.length) : text;
    const units = QT1_UNIT_TYPES.get(unitType);
    if (units !== undefined)
      return {
        kind: 'enum',
        id: `${QT1_ENUM_PREFIX}${unitType === 'EnergyRateUnit' ? 'PowerUnit' : unitType}`,
        valueType: 'string',
        values: units.map((unit) => ({ name: unit, value: unit })),
      };
  }
  return undefined;
}
