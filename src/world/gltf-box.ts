// A minimal valid glTF 2.0 binary built by hand: one mesh of two box primitives (a body and a smaller
// top), sharing one position accessor. Tests upload it; it is also the smallest example of what the
// world accepts.

/** The 8 corners of an axis-aligned box, as x,y,z triples. */
function corners(x0: number, y0: number, z0: number, x1: number, y1: number, z1: number): number[] {
  const out: number[] = [];
  for (const x of [x0, x1]) for (const y of [y0, y1]) for (const z of [z0, z1]) out.push(x, y, z);
  return out;
}

/** The 12 triangles of a box whose corners start at `base` (corner index = 4·x + 2·y + z). */
function boxTriangles(base: number): number[] {
  const faces = [
    [0, 1, 3, 2], // x = 0
    [4, 6, 7, 5], // x = 1
    [0, 4, 5, 1], // y = 0
    [2, 3, 7, 6], // y = 1
    [0, 2, 6, 4], // z = 0
    [1, 5, 7, 3], // z = 1
  ];
  return faces.flatMap(([a, b, c, d]) => [a!, b!, c!, a!, c!, d!].map((i) => base + i));
}

const pad4 = (n: number): number => (n + 3) & ~3;

/** A .glb of a 1 × 1 × 1 m box standing on y = 0 with a 0.5 m box on top (glTF is y-up). */
export function boxGlb(): Uint8Array {
  const positions = new Float32Array([
    ...corners(-0.5, 0, -0.5, 0.5, 1, 0.5),
    ...corners(-0.25, 1, -0.25, 0.25, 1.5, 0.25),
  ]);
  const indices = new Uint16Array([...boxTriangles(0), ...boxTriangles(8)]);
  const bin = new Uint8Array(pad4(positions.byteLength + indices.byteLength));
  bin.set(new Uint8Array(positions.buffer), 0);
  bin.set(new Uint8Array(indices.buffer), positions.byteLength);
  const half = indices.byteLength / 2;
  const json = {
    asset: { version: '2.0', generator: 'imverse gltf-box' },
    scene: 0,
    scenes: [{ nodes: [0] }],
    nodes: [{ mesh: 0, name: 'box' }],
    meshes: [
      {
        primitives: [
          { attributes: { POSITION: 0 }, indices: 1, material: 0 },
          { attributes: { POSITION: 0 }, indices: 2, material: 1 },
        ],
      },
    ],
    materials: [
      { pbrMetallicRoughness: { baseColorFactor: [0.9, 0.5, 0.1, 1] } },
      { pbrMetallicRoughness: { baseColorFactor: [0.2, 0.6, 0.9, 1] } },
    ],
    accessors: [
      {
        bufferView: 0,
        componentType: 5126,
        count: 16,
        type: 'VEC3',
        min: [-0.5, 0, -0.5],
        max: [0.5, 1.5, 0.5],
      },
      { bufferView: 1, byteOffset: 0, componentType: 5123, count: 36, type: 'SCALAR' },
      { bufferView: 1, byteOffset: half, componentType: 5123, count: 36, type: 'SCALAR' },
    ],
    bufferViews: [
      { buffer: 0, byteOffset: 0, byteLength: positions.byteLength, target: 34962 },
      { buffer: 0, byteOffset: positions.byteLength, byteLength: indices.byteLength, target: 34963 },
    ],
    buffers: [{ byteLength: bin.byteLength }],
  };
  const text = new TextEncoder().encode(JSON.stringify(json));
  const jsonLength = pad4(text.byteLength);
  const total = 12 + 8 + jsonLength + 8 + bin.byteLength;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x46546c67, true);
  view.setUint32(4, 2, true);
  view.setUint32(8, total, true);
  view.setUint32(12, jsonLength, true);
  view.setUint32(16, 0x4e4f534a, true);
  out.fill(0x20, 20, 20 + jsonLength); // JSON is padded with spaces
  out.set(text, 20);
  const binAt = 20 + jsonLength;
  view.setUint32(binAt, bin.byteLength, true);
  view.setUint32(binAt + 4, 0x004e4942, true);
  out.set(bin, binAt + 8);
  return out;
}
