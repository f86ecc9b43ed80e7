// The scene's twins by id and by parent: what the tree, the search box and camera flights look things up in.
import { Box3, Vector3 } from 'three';
import type { WorldObject, WorldScene } from '../../src/core/wire.js';
import { plantToWorld } from './WorldMeshes.js';

export class WorldIndex {
  readonly byId = new Map<string, WorldObject>();
  readonly roots: WorldObject[] = [];
  private readonly children = new Map<string, WorldObject[]>();

  constructor(readonly scene: WorldScene) {
    for (const object of scene.objects) this.byId.set(object.id, object);
    for (const object of scene.objects) {
      // A parent outside the scene makes the object a root rather than an orphan nobody can reach.
      if (object.parent === undefined || !this.byId.has(object.parent)) this.roots.push(object);
      else {
        let list = this.children.get(object.parent);
        if (!list) this.children.set(object.parent, (list = []));
        list.push(object);
      }
    }
    // Organisations first (enterprise, site), then places (buildings), then loose equipment and people.
    const rank = (o: WorldObject): number => (!this.children.has(o.id) ? 2 : o.layout ? 1 : 0);
    this.roots.sort((a, b) => rank(a) - rank(b));
  }

  childrenOf(id: string): readonly WorldObject[] {
    return this.children.get(id) ?? [];
  }

  /** From the root down to the object (inclusive); stops on a parent cycle rather than looping. */
  ancestry(id: string): WorldObject[] {
    const path: WorldObject[] = [];
    const seen = new Set<string>();
    for (
      let o = this.byId.get(id);
      o && !seen.has(o.id);
      o = o.parent ? this.byId.get(o.parent) : undefined
    ) {
      seen.add(o.id);
      path.unshift(o);
    }
    return path;
  }

  /** World-space box around the object and everything under it that is placed (a line: its stations). */
  extent(id: string): Box3 | undefined {
    const box = new Box3();
    const corner = new Vector3();
    const seen = new Set<string>();
    const visit = (object: WorldObject): void => {
      if (seen.has(object.id)) return;
      seen.add(object.id);
      const l = object.layout;
      if (l) {
        const r = Math.hypot(l.width, l.depth) / 2;
        box.expandByPoint(plantToWorld(l.x - r, l.y - r, l.z, corner));
        box.expandByPoint(plantToWorld(l.x + r, l.y + r, l.z + Math.max(l.height, 0.5), corner));
        // A building or zone frames itself: its contents are inside it anyway.
        if (object.kind === 'building' || object.kind === 'zone' || object.kind === 'site') return;
      }
      for (const child of this.childrenOf(object.id)) visit(child);
    };
    const object = this.byId.get(id);
    if (object) visit(object);
    return box.isEmpty() ? undefined : box;
  }

  /** The plant's name for the title bar: the first organisational root (enterprise, site, factory). */
  title(): string {
    const root = this.scene.root === undefined ? undefined : this.byId.get(this.scene.root);
    const named = root ?? this.roots.find((o) => !o.layout) ?? this.roots[0];
    return named?.name ?? 'Imverse';
  }

  /** Twins whose name or identifier contains the text, names starting with it first. */
  search(text: string, limit = 20): WorldObject[] {
    const needle = text.trim().toLowerCase();
    if (!needle) return [];
    const hits: Array<{ object: WorldObject; rank: number }> = [];
    for (const object of this.scene.objects) {
      const name = object.name.toLowerCase();
      const id = object.id.toLowerCase();
      const rank = name.startsWith(needle) ? 0 : name.includes(needle) ? 1 : id.includes(needle) ? 2 : -1;
      if (rank >= 0) hits.push({ object, rank });
    }
    hits.sort((a, b) => a.rank - b.rank || a.object.name.localeCompare(b.object.name));
    return hits.slice(0, limit).map((h) => h.object);
  }
}
