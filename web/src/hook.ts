// A read-only window onto the page's state for end-to-end tests and benchmarks (window.__imverse).
import type { ImverseHook } from './hook-shape.js';

declare global {
  interface Window {
    __imverse?: Readonly<ImverseHook>;
  }
}

export const hook: ImverseHook = {
  ready: false,
  instances: {},
  frames: 0,
  drawCalls: 0,
  objects: 0,
  live: false,
};
window.__imverse = hook;
