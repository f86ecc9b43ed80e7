// Semantic types and units: built into DTDL v2, and in DTDL v3 provided by the QuantitativeTypes v1
// extension (dtmi:dtdl:extension:quantitativeTypes;1). Tables from DTDL.v2.md and DTDL.quantitativeTypes.v1.md.

export interface SemanticTable {
  /** semantic type → allowed units */
  readonly units: ReadonlyMap<string, ReadonlySet<string>>;
  /** every unit term of the table */
  readonly allUnits: ReadonlySet<string>;
}

const w = (s: string): string[] => s.split(/\s+/).filter((x) => x.length > 0);

const V2_UNITS: Record<string, string> = {
  AccelerationUnit: 'centimetrePerSecondSquared gForce metrePerSecondSquared',
  AngleUnit: 'degreeOfArc minuteOfArc radian secondOfArc turn',
  AngularAccelerationUnit: 'radianPerSecondSquared',
  AngularVelocityUnit: 'degreePerSecond radianPerSecond revolutionPerMinute revolutionPerSecond',
  AreaUnit:
    'acre hectare squareCentimetre squareFoot squareInch squareKilometre squareMetre squareMillimetre',
  CapacitanceUnit: 'farad microfarad millifarad nanofarad picofarad',
  CurrentUnit: 'ampere microampere milliampere',
  DataRateUnit:
    'bitPerSecond bytePerSecond exbibitPerSecond exbibytePerSecond gibibitPerSecond gibibytePerSecond kibibitPerSecond kibibytePerSecond mebibitPerSecond mebibytePerSecond tebibitPerSecond tebibytePerSecond yobibitPerSecond yobibytePerSecond zebibitPerSecond zebibytePerSecond',
  DataSizeUnit:
    'bit byte exbibit exbibyte gibibit gibibyte kibibit kibibyte mebibit mebibyte tebibit tebibyte yobibit yobibyte zebibit zebibyte',
  DensityUnit: 'gramPerCubicMetre kilogramPerCubicMetre',
  LengthUnit:
    'astronomicalUnit centimetre foot inch kilometre metre micrometre mile millimetre nanometre nauticalMile',
  ChargeUnit: 'coulomb',
  EnergyUnit: 'electronvolt gigajoule joule kilojoule kilowattHour megaelectronvolt megajoule',
  ForceUnit: 'newton ounce pound ton',
  FrequencyUnit: 'gigahertz hertz kilohertz megahertz',
  IlluminanceUnit: 'footcandle lux',
  InductanceUnit: 'henry microhenry millihenry',
  LuminanceUnit: 'candelaPerSquareMetre',
  PowerUnit: 'gigawatt horsepower kilowatt kilowattHourPerYear megawatt microwatt milliwatt watt',
  LuminousFluxUnit: 'lumen',
  LuminousIntensityUnit: 'candela',
  MagneticFluxUnit: 'maxwell weber',
  MagneticInductionUnit: 'tesla',
  MassUnit: 'gram kilogram microgram milligram slug tonne',
  MassFlowRateUnit: 'gramPerHour gramPerSecond kilogramPerHour kilogramPerSecond',
  PressureUnit:
    'bar inchesOfMercury inchesOfWater kilopascal millibar millimetresOfMercury pascal poundPerSquareInch',
  Unitless: 'percent unity',
  ResistanceUnit: 'kiloohm megaohm milliohm ohm',
  SoundPressureUnit: 'bel decibel',
  TemperatureUnit: 'degreeCelsius degreeFahrenheit kelvin',
  TimeUnit: 'day hour microsecond millisecond minute nanosecond second year',
  TorqueUnit: 'newtonMetre',
  VelocityUnit:
    'centimetrePerSecond kilometrePerHour kilometrePerSecond knot metrePerHour metrePerSecond milePerHour milePerSecond',
  VoltageUnit: 'kilovolt megavolt microvolt millivolt volt',
  VolumeUnit: 'cubicCentimetre cubicFoot cubicInch cubicMetre fluidOunce gallon litre millilitre',
  VolumeFlowRateUnit: 'litrePerHour litrePerSecond millilitrePerHour millilitrePerSecond',
};

// QuantitativeTypes v1 extends several unit types of v2 and adds new ones.
const QT1_UNITS: Record<string, string> = {
  ...V2_UNITS,
  ApparentEnergyUnit: 'gigavoltAmpereHour kilovoltAmpereHour megavoltAmpereHour voltAmpereHour',
  ApparentPowerUnit: 'gigavoltAmpere kilovoltAmpere megavoltAmpere millivoltAmpere voltAmpere',
  CurrentUnit: 'ampere kiloampere microampere milliampere',
  DensityUnit: 'gramPerCubicMetre kilogramPerCubicMetre microgramPerCubicMetre milligramPerCubicMetre',
  ChargeUnit: 'ampereHour coulomb milliampereHour',
  EnergyUnit:
    'britishThermalUnit electronvolt gigajoule gigawattHour joule kiloBritishThermalUnit kilojoule kilowattHour megaelectronvolt megajoule megawattHour milliwattHour terawattHour wattHour',
  FrequencyUnit: 'gigahertz hertz kilohertz megahertz millihertz',
  IonizingRadiationDoseUnit: 'gray microgray microsievert milligray millisievert sievert',
  IrradianceUnit: 'wattPerSquareMetre',
  MagneticInductionUnit: 'gauss tesla',
  MassUnit: 'gram kilogram massPound microgram milligram slug tonne',
  MassFlowRateUnit: 'gramPerHour gramPerSecond kilogramPerHour kilogramPerSecond massPoundPerHour',
  PowerUnit:
    'britishThermalUnitPerHour gigajoulePerHour gigawatt horsepower joulePerHour joulePerSecond kiloBritishThermalUnitPerHour kilojoulePerHour kilojoulePerSecond kilowatt kilowattHourPerYear megajoulePerHour megawatt microwatt milliwatt tonOfRefrigeration watt',
  PressureUnit:
    'bar decapascal hectopascal inchesOfMercury inchesOfWater kilopascal millibar millimetresOfMercury pascal poundPerSquareInch',
  RadioactivityUnit: 'becquerel gigabecquerel kilobecquerel megabecquerel',
  ReactiveEnergyUnit:
    'gigavoltAmpereReactiveHour kilovoltAmpereReactiveHour megavoltAmpereReactiveHour voltAmpereReactiveHour',
  ReactivePowerUnit:
    'gigavoltAmpereReactive kilovoltAmpereReactive megavoltAmpereReactive millivoltAmpereReactive voltAmpereReactive',
  Unitless: 'partsPerBillion partsPerMillion partsPerQuadrillion partsPerTrillion percent unity',
  VolumeFlowRateUnit:
    'cubicFootPerMinute cubicMetrePerHour cubicMetrePerMinute cubicMetrePerSecond gallonPerHour gallonPerMinute litrePerHour litrePerMinute litrePerSecond millilitrePerHour millilitrePerMinute millilitrePerSecond',
};

const V2_TYPES: Record<string, string> = {
  Acceleration: 'AccelerationUnit',
  Angle: 'AngleUnit',
  AngularAcceleration: 'AngularAccelerationUnit',
  AngularVelocity: 'AngularVelocityUnit',
  Area: 'AreaUnit',
  Capacitance: 'CapacitanceUnit',
  Current: 'CurrentUnit',
  DataRate: 'DataRateUnit',
  DataSize: 'DataSizeUnit',
  Density: 'DensityUnit',
  Distance: 'LengthUnit',
  ElectricCharge: 'ChargeUnit',
  Energy: 'EnergyUnit',
  Force: 'ForceUnit',
  Frequency: 'FrequencyUnit',
  Humidity: 'DensityUnit',
  Illuminance: 'IlluminanceUnit',
  Inductance: 'InductanceUnit',
  Latitude: 'AngleUnit',
  Length: 'LengthUnit',
  Longitude: 'AngleUnit',
  Luminance: 'LuminanceUnit',
  Luminosity: 'PowerUnit',
  LuminousFlux: 'LuminousFluxUnit',
  LuminousIntensity: 'LuminousIntensityUnit',
  MagneticFlux: 'MagneticFluxUnit',
  MagneticInduction: 'MagneticInductionUnit',
  Mass: 'MassUnit',
  MassFlowRate: 'MassFlowRateUnit',
  Power: 'PowerUnit',
  Pressure: 'PressureUnit',
  RelativeHumidity: 'Unitless',
  Resistance: 'ResistanceUnit',
  SoundPressure: 'SoundPressureUnit',
  Temperature: 'TemperatureUnit',
  Thrust: 'ForceUnit',
  TimeSpan: 'TimeUnit',
  Torque: 'TorqueUnit',
  Velocity: 'VelocityUnit',
  Voltage: 'VoltageUnit',
  Volume: 'VolumeUnit',
  VolumeFlowRate: 'VolumeFlowRateUnit',
};

const QT1_TYPES: Record<string, string> = {
  ...V2_TYPES,
  ApparentEnergy: 'ApparentEnergyUnit',
  ApparentPower: 'ApparentPowerUnit',
  Concentration: 'Unitless',
  EnergyRate: 'PowerUnit',
  IonizingRadiationDose: 'IonizingRadiationDoseUnit',
  Irradiance: 'IrradianceUnit',
  Radioactivity: 'RadioactivityUnit',
  ReactiveEnergy: 'ReactiveEnergyUnit',
  ReactivePower: 'ReactivePowerUnit',
  RelativeDensity: 'Unitless',
};

function table(types: Record<string, string>, units: Record<string, string>): SemanticTable {
  const map = new Map<string, ReadonlySet<string>>();
  const all = new Set<string>();
  for (const [type, unitType] of Object.entries(types)) {
    const list = w(units[unitType] ?? '');
    map.set(type, new Set(list));
    for (const u of list) all.add(u);
  }
  return { units: map, allUnits: all };
}

/** DTDL v2 built-in semantic types. DTMI forms: dtmi:standard:class:T;2 and dtmi:standard:unit:U;2. */
export const V2_SEMANTIC_TYPES: SemanticTable = table(V2_TYPES, V2_UNITS);
/** QuantitativeTypes v1 (DTDL v3). */
export const QT1_SEMANTIC_TYPES: SemanticTable = table(QT1_TYPES, QT1_UNITS);

/**
 * QuantitativeTypes v1 unit types with their units. Each is also an Enum schema of its units (its
 * context maps TemperatureUnit to …:enum:TemperatureUnit), so a Property may hold a unit.
 */
export const QT1_UNIT_TYPES: ReadonlyMap<string, readonly string[]> = new Map([
  ...Object.entries(QT1_UNITS).map(([unitType, units]): [string, string[]] => [unitType, w(units)]),
  // The extension's context names PowerUnit a second time, as EnergyRateUnit.
  ['EnergyRateUnit', w(QT1_UNITS.PowerUnit ?? '')],
]);

/** Normalises a semantic type or unit given as a DTMI (dtmi:standard:class:Temperature;2) to its term. */
export function semanticTerm(value: string, kind: 'class' | 'unit'): string {
  const m = new RegExp(`^dtmi:standard:${kind}:([A-Za-z]+);[23]$`).exec(value);
  return m?.[1] ?? value;
}
