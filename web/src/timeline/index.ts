// The timeline feature of the world page: a "◷ Timeline" button over the 3D view opens a strip to
// replay the plant's past and return to live (Timeline.ts; docs/world-timeline.md).
import type { WorldFeature } from '../world-context.js';
import { Timeline } from './Timeline.js';
import './timeline.css';

export const installTimeline: WorldFeature = (world) => {
  const timeline = new Timeline(world);
  world.toolbar.append(timeline.button);
  // The banner sits right above the strip, clear of the toolbar's buttons.
  world.bottomBar.append(timeline.notice, timeline.strip);
  world.hook.timeline = timeline.hook;
  timeline.hook.ready = true;
};
