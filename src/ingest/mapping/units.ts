// Linear unit conversions for mapped values: each unit is (scale, offset) to its dimension's SI
// base unit. Short symbols are accepted beside the DTDL unit names, so a mapping can name the unit
// that a twin model declares (DTDL v2/v3 "unit" values such as degreeCelsius or kilopascal).

interface UnitSpec {
  readonly dimension: string;
  /** base = value * scale + offset */
  readonly scale: number;
  readonly offset: number;
}

/** A conversion `y = x * scale + offset`. */
export interface Linear {
  readonly scale: number;
  readonly offset: number;
}

const TABLE: ReadonlyArray<
  readonly [dimension: string, names: readonly string[], scale: number, offset?: number]
> = [
  ['temperature', ['K', 'kelvin'], 1],
  ['temperature', ['degC', '°C', 'celsius', 'degreeCelsius'], 1, 273.15],
  ['temperature', ['degF', '°F', 'fahrenheit', 'degreeFahrenheit'], 5 / 9, (459.67 * 5) / 9],
  ['pressure', ['Pa', 'pascal'], 1],
  ['pressure', ['hPa', 'hectopascal'], 100],
  ['pressure', ['kPa', 'kilopascal'], 1e3],
  ['pressure', ['MPa', 'megapascal'], 1e6],
  ['pressure', ['mbar', 'millibar'], 100],
  ['pressure', ['bar'], 1e5],
  ['pressure', ['psi', 'poundPerSquareInch'], 6894.757293168361],
  ['length', ['m', 'metre', 'meter'], 1],
  ['length', ['mm', 'millimetre', 'millimeter'], 1e-3],
  ['length', ['cm', 'centimetre', 'centimeter'], 1e-2],
  ['length', ['km', 'kilometre', 'kilometer'], 1e3],
  ['length', ['in', 'inch'], 0.0254],
  ['length', ['ft', 'foot'], 0.3048],
  ['speed', ['m/s', 'metrePerSecond'], 1],
  ['speed', ['mm/s', 'millimetrePerSecond'], 1e-3],
  ['speed', ['m/min', 'metrePerMinute'], 1 / 60],
  ['speed', ['km/h', 'kilometrePerHour'], 1 / 3.6],
  ['speed', ['ft/min', 'footPerMinute'], 0.3048 / 60],
  ['speed', ['mph', 'milePerHour'], 0.44704],
  ['power', ['W', 'watt'], 1],
  ['power', ['kW', 'kilowatt'], 1e3],
  ['power', ['MW', 'megawatt'], 1e6],
  ['power', ['hp', 'horsepower'], 745.6998715822702],
  ['energy', ['J', 'joule'], 1],
  ['energy', ['kJ', 'kilojoule'], 1e3],
  ['energy', ['MJ', 'megajoule'], 1e6],
  ['energy', ['Wh', 'wattHour'], 3600],
  ['energy', ['kWh', 'kilowattHour'], 3.6e6],
  ['energy', ['MWh', 'megawattHour'], 3.6e9],
  ['mass', ['kg', 'kilogram'], 1],
  ['mass', ['g', 'gram'], 1e-3],
  ['mass', ['t', 'tonne'], 1e3],
  ['mass', ['lb', 'pound'], 0.45359237],
  ['time', ['s', 'second'], 1],
  ['time', ['ms', 'millisecond'], 1e-3],
  ['time', ['min', 'minute'], 60],
  ['time', ['h', 'hour'], 3600],
];

const UNITS: ReadonlyMap<string, UnitSpec> = new Map(
  TABLE.flatMap(([dimension, names, scale, offset = 0]) =>
    names.map((name) => [name, { dimension, scale, offset }] as const),
  ),
);

/** Every accepted unit name, for error messages and docs. */
export function unitNames(): string[] {
  return [...UNITS.keys()];
}

export function unitDimension(unit: string): string | undefined {
  return UNITS.get(unit)?.dimension;
}

/** The conversion from `from` to `to`, or a message saying why there is none. */
export function unitConversion(from: string, to: string): Linear | string {
  const a = UNITS.get(from);
  const b = UNITS.get(to);
  if (!a) return `unknown unit "${from}"`;
  if (!b) return `unknown unit "${to}"`;
  if (a.dimension !== b.dimension) {
    return `cannot convert ${a.dimension} ("${from}") to ${b.dimension} ("${to}")`;
  }
  // x in `from` → base: x*a.scale + a.offset → `to`: (base - b.offset) / b.scale
  return { scale: a.scale / b.scale, offset: (a.offset - b.offset) / b.scale };
}
