// A procedural shape per kind, built once in unit space and stretched per instance to the layout's
// width (x), height (y) and depth (z): x and z span -0.5…0.5, y spans 0…1 (the shape stands on the floor).
import { BoxGeometry, CapsuleGeometry, CylinderGeometry, SphereGeometry, type BufferGeometry } from 'three';
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js';
import type { WorldKind } from '../../src/core/wire.js';

export interface KindStyle {
  /** Colour when the object reports no known state. */
  readonly colour: string;
  /** Floors and areas: drawn as thin slabs this many metres thick, translucent, picked last. */
  readonly slab?: { readonly thickness: number; readonly lift: number; readonly opacity: number };
  /** Tiny things (sensors) are drawn at least this big so they can be seen and clicked. */
  readonly minSize?: number;
  shape(): BufferGeometry;
}

/** A box spanning [x0,x1] × [y0,y1] × [z0,z1] of the unit cell. */
function part(x0: number, x1: number, y0: number, y1: number, z0: number, z1: number): BufferGeometry {
  return new BoxGeometry(x1 - x0, y1 - y0, z1 - z0).translate((x0 + x1) / 2, (y0 + y1) / 2, (z0 + z1) / 2);
}

const unitBox = (): BufferGeometry => part(-0.5, 0.5, 0, 1, -0.5, 0.5);

function merged(parts: BufferGeometry[]): BufferGeometry {
  const geometry = mergeGeometries(parts);
  for (const p of parts) p.dispose();
  if (!geometry) throw new Error('procedural parts do not share attributes');
  return geometry;
}

/** A work cell: a floor plinth, four corner posts and a top frame, so the machine inside stays visible. */
function stationShape(): BufferGeometry {
  const post = 0.04;
  const parts = [part(-0.5, 0.5, 0, 0.06, -0.5, 0.5)];
  for (const sx of [-1, 1])
    for (const sz of [-1, 1]) {
      const x = sx * (0.5 - post / 2);
      const z = sz * (0.5 - post / 2);
      parts.push(part(x - post / 2, x + post / 2, 0.06, 1, z - post / 2, z + post / 2));
    }
  parts.push(part(-0.5, 0.5, 0.96, 1, -0.5, -0.5 + post), part(-0.5, 0.5, 0.96, 1, 0.5 - post, 0.5));
  parts.push(part(-0.5, -0.5 + post, 0.96, 1, -0.5, 0.5), part(0.5 - post, 0.5, 0.96, 1, -0.5, 0.5));
  return merged(parts);
}

/** A machine tool: a body, a control cabinet on top at the back, a door panel in front. */
function machineShape(): BufferGeometry {
  return merged([
    part(-0.5, 0.5, 0, 0.78, -0.5, 0.5),
    part(0.15, 0.5, 0.78, 1, -0.5, -0.1),
    part(-0.35, 0.2, 0.15, 0.65, 0.5, 0.53),
  ]);
}

/** An articulated robot: a round base, a column and an arm reaching out. */
function robotShape(): BufferGeometry {
  return merged([
    new CylinderGeometry(0.35, 0.42, 0.18, 20).translate(0, 0.09, 0),
    new CylinderGeometry(0.14, 0.18, 0.45, 14).translate(0, 0.4, 0),
    part(-0.1, 0.1, 0.55, 0.68, -0.1, 0.5),
    part(-0.07, 0.07, 0.68, 1, 0.35, 0.47),
  ]);
}

/** A belt on legs: the belt in the top quarter of the height, legs at both ends. */
function conveyorShape(): BufferGeometry {
  const parts = [part(-0.5, 0.5, 0.78, 0.92, -0.5, 0.5), part(-0.5, 0.5, 0.92, 1, -0.5, -0.44)];
  parts.push(part(-0.5, 0.5, 0.92, 1, 0.44, 0.5));
  for (const x of [-0.46, 0.42]) parts.push(part(x, x + 0.04, 0, 0.78, -0.4, 0.4));
  return merged(parts);
}

/** A rack: four posts and three shelves. */
function bufferShape(): BufferGeometry {
  const parts: BufferGeometry[] = [];
  for (const x of [-0.5, 0.44])
    for (const z of [-0.5, 0.44]) parts.push(part(x, x + 0.06, 0, 1, z, z + 0.06));
  for (const y of [0.05, 0.45, 0.85]) parts.push(part(-0.5, 0.5, y, y + 0.05, -0.5, 0.5));
  return merged(parts);
}

/** A low vehicle with a lifting deck. */
function agvShape(): BufferGeometry {
  return merged([part(-0.5, 0.5, 0.1, 0.75, -0.5, 0.5), part(-0.4, 0.4, 0.75, 1, -0.4, 0.4)]);
}

const personShape = (): BufferGeometry => new CapsuleGeometry(0.35, 0.3, 4, 10).translate(0, 0.5, 0);
const sensorShape = (): BufferGeometry => new SphereGeometry(0.5, 10, 8).translate(0, 0.5, 0);

const slab = (thickness: number, lift: number, opacity: number) => ({ thickness, lift, opacity });

export const KIND_STYLES: Readonly<Record<WorldKind, KindStyle>> = {
  site: { colour: '#16202a', slab: slab(0.05, -0.06, 1), shape: unitBox },
  building: { colour: '#223140', slab: slab(0.1, 0, 1), shape: unitBox },
  zone: { colour: '#2e4a63', slab: slab(0.03, 0.1, 0.55), shape: unitBox },
  workshop: { colour: '#35506a', slab: slab(0.02, 0.13, 0.35), shape: unitBox },
  line: { colour: '#4fb3ff', slab: slab(0.02, 0.15, 0.3), shape: unitBox },
  station: { colour: '#6d7f91', shape: stationShape },
  machine: { colour: '#b8c4cf', shape: machineShape },
  robot: { colour: '#f0a830', shape: robotShape },
  conveyor: { colour: '#7d8a96', shape: conveyorShape },
  buffer: { colour: '#5f7d95', shape: bufferShape },
  agv: { colour: '#e8d44d', shape: agvShape },
  person: { colour: '#f2c6a0', shape: personShape },
  sensor: { colour: '#ff7ab6', minSize: 0.18, shape: sensorShape },
  other: { colour: '#8b96a3', shape: unitBox },
};

/** The order meshes are created in; slabs first so equipment draws over them. */
export const KIND_ORDER = Object.keys(KIND_STYLES) as WorldKind[];
