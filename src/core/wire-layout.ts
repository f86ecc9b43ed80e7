// Layout design: the draft document's plain form, named layout versions, their comparison with the
// current plant and the study started from one. Shared by the server (src/server/layouts) and the
// browser's design mode (web/src/design). docs/layout-design.md describes the draft document.

/** The fields of a twin's layout a design may change (z stays as loaded: equipment stands on the floor). */
export const LAYOUT_FIELDS = ['x', 'y', 'rotation', 'width', 'depth', 'height'] as const;
export type LayoutField = (typeof LAYOUT_FIELDS)[number];
export type LayoutFields = Record<LayoutField, number>;

/** Kinds a designer may add from the palette. */
export const DESIGN_KINDS = ['station', 'machine', 'robot', 'conveyor', 'buffer', 'agv', 'other'] as const;
export type DesignKind = (typeof DESIGN_KINDS)[number];

/** Prefix of the ids of equipment added in a draft (`draft:<uuid>`): never a twin id. */
export const ADDED_PREFIX = 'draft:';

/** Prefix of a draft's collaboration room: `layout.<draft>`. */
export const DRAFT_ROOM_PREFIX = 'layout.';
/** Draft names: the room name `layout.<draft>` must stay a valid room (80 characters at most). */
export const DRAFT_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,72}$';

/** Changes to one twin of the plant: fields replaced (absolute values, not deltas), or removed. */
export type LayoutOverride = Partial<LayoutFields> & { readonly removed?: true };

/** Equipment a draft adds. */
export interface AddedEquipment extends LayoutFields {
  readonly kind: DesignKind;
  readonly name: string;
  /** Model (DTMI or ontology short name) the twin would get; optional in a draft. */
  readonly model?: string;
}

/** A draft document read into plain data. */
export interface LayoutDraft {
  readonly overrides: Readonly<Record<string, LayoutOverride>>;
  readonly added: Readonly<Record<string, AddedEquipment>>;
}

/** One object of a saved version, resolved against the plant as it was when the version was saved. */
export interface VersionObject {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly change: 'changed' | 'removed' | 'added';
  /** The layout the version gives it (for removed objects: the one it had). */
  readonly layout: LayoutFields;
  /** Its layout in the plant when the version was saved (not for added ones). */
  readonly before?: LayoutFields;
}

export interface LayoutVersionSummary {
  readonly id: string;
  readonly name: string;
  /** The draft it was saved from. */
  readonly draft: string;
  readonly createdBy: string;
  /** ISO 8601. */
  readonly createdAt: string;
  /** Objects the version changes, adds or removes. */
  readonly changes: number;
}

export interface LayoutVersion extends LayoutVersionSummary {
  readonly objects: readonly VersionObject[];
}

export interface LayoutComparison {
  readonly version: string;
  readonly moved: ReadonlyArray<{
    readonly id: string;
    readonly name: string;
    readonly from: { readonly x: number; readonly y: number };
    readonly to: { readonly x: number; readonly y: number };
    /** Metres on the floor. */
    readonly distance: number;
  }>;
  readonly rotated: ReadonlyArray<{
    readonly id: string;
    readonly name: string;
    readonly from: number;
    readonly to: number;
    /** Signed, in (-180, 180]. */
    readonly degrees: number;
  }>;
  readonly resized: ReadonlyArray<{
    readonly id: string;
    readonly name: string;
    readonly from: { readonly width: number; readonly depth: number; readonly height: number };
    readonly to: { readonly width: number; readonly depth: number; readonly height: number };
  }>;
  readonly added: ReadonlyArray<{ readonly id: string; readonly name: string; readonly kind: string }>;
  readonly removed: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  /** Twins the version changes that the current plant no longer has (or has unplaced). */
  readonly missing: readonly string[];
  readonly totals: {
    readonly moved: number;
    readonly rotated: number;
    readonly resized: number;
    readonly added: number;
    readonly removed: number;
    /** Distinct objects differing from the current plant. */
    readonly changed: number;
    /** Sum of the moved distances, metres. */
    readonly distance: number;
  };
}

export interface LayoutStudyStarted {
  /** The study's id: GET /api/v1/studies/{id}, its progress and report. */
  readonly study: string;
  readonly status: string;
  readonly location: string;
  readonly report: string;
  /** Twins whose layout the study's plant took from the version. */
  readonly applied: number;
  /** What the study could not take over, and why (added or removed equipment, twins not in the file). */
  readonly notApplied: ReadonlyArray<{ readonly id: string; readonly reason: string }>;
}
