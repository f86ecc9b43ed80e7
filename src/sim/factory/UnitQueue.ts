// A FIFO of units on an array with a moving head: O(1) at both ends without shifting large arrays.
import type { Unit } from './Unit.js';

export class UnitQueue {
  private items: Unit[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  at(index: number): Unit | undefined {
    return this.items[this.head + index];
  }

  push(unit: Unit): void {
    this.items.push(unit);
  }

  /** Removes the unit at `index` (0 is the head). */
  removeAt(index: number): Unit {
    const items = this.items;
    let unit: Unit;
    if (index === 0) {
      unit = items[this.head]!;
      items[this.head++] = undefined as unknown as Unit;
      if (this.head === items.length) {
        // A fresh array is faster here than truncating (length = 0 drops the backing store anyway).
        this.items = [];
        this.head = 0;
      } else if (this.head > 1024 && this.head * 2 > items.length) {
        this.items = items.slice(this.head);
        this.head = 0;
      }
    } else {
      unit = items.splice(this.head + index, 1)[0]!;
    }
    return unit;
  }

  indexOf(unit: Unit): number {
    const i = this.items.indexOf(unit, this.head);
    return i < 0 ? -1 : i - this.head;
  }
}
