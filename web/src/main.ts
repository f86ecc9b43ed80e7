// The 3D world page: loads the scene, builds it, and wires navigation, live state, the tree, search and
// the inspector together, then installs the features (timeline, presence, design, XR, custom models)
// on a shared WorldContext. Each part lives in its own module; this file only composes them.
import type { WorldScene } from '../../src/core/wire.js';
import { AuthRequiredError, signInAgain, getJson } from './api.js';
import { Highlight } from './Highlight.js';
import { t } from './i18n/world-page.js';
import { hook } from './hook.js';
import { Inspector } from './Inspector.js';
import { LiveFeed, type LiveChange } from './LiveFeed.js';
import { Navigation } from './Navigation.js';
import { enablePicking } from './picking.js';
import { enableSearch } from './search-box.js';
import { Stage } from './Stage.js';
import { renderLegend } from './states.js';
import './style.css';
import { TwinTree } from './TwinTree.js';
import { warnOnce } from './warn-once.js';
import { installWelcome } from './welcome.js';
import { WorldIndex } from './WorldIndex.js';
import { WorldMeshes } from './WorldMeshes.js';
import type { WorldContext, WorldFeature } from './world-context.js';
import { installTimeline } from './timeline/index.js';
import { installPresence } from './presence/index.js';
import { installDesign } from './design/index.js';
import { installXr } from './xr/index.js';
import { installModels } from './models/index.js';

/** Installed in this order once the scene is on screen. */
const FEATURES: ReadonlyArray<readonly [string, WorldFeature]> = [
  ['custom models', installModels],
  ['timeline', installTimeline],
  ['presence', installPresence],
  ['design', installDesign],
  ['XR', installXr],
];

const $ = <T extends HTMLElement>(selector: string): T => {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`the page has no ${selector}`);
  return found;
};

function fail(message: string): void {
  $('#status').textContent = message;
  $('#status').classList.add('error');
  hook.error = message;
}

async function main(): Promise<void> {
  renderLegend($('#legend'));
  const root = new URLSearchParams(location.search).get('root');
  let scene: WorldScene;
  try {
    scene = await getJson<WorldScene>(
      `/api/v1/world/scene${root ? `?root=${encodeURIComponent(root)}` : ''}`,
    );
  } catch (error) {
    if (error instanceof AuthRequiredError) {
      signInAgain();
      fail(t('error.token'));
    } else fail(t('error.load', { error: error instanceof Error ? error.message : String(error) }));
    return;
  }

  const index = new WorldIndex(scene);
  const states = new Map<string, unknown>();
  for (const object of scene.objects) if (object.state !== undefined) states.set(object.id, object.state);
  $('#plant-name').textContent = index.title();
  document.title = t('title', { plant: index.title() });

  let stage: Stage;
  try {
    stage = new Stage($('#viewport'), scene.bounds);
  } catch (error) {
    fail(t('error.webgl'));
    console.error(error);
    return;
  }
  const meshes = new WorldMeshes(scene.objects);
  const highlight = new Highlight();
  stage.scene.add(meshes.group, highlight.object);
  const navigation = new Navigation(stage, scene.bounds);
  const inspector = new Inspector($('#detail'));
  $('#home').addEventListener('click', () => navigation.home(true));

  const liveListeners: Array<(change: LiveChange) => void> = [];
  const painters: Array<(change: LiveChange) => void> = [];
  const world: WorldContext = {
    scene,
    index,
    states,
    stage,
    meshes,
    navigation,
    inspector,
    hook,
    viewport: $('#viewport'),
    toolbar: $('#toolbar'),
    bottomBar: $('#bottom-bar'),
    leftPanels: $('#left-panels'),
    livePainting: true,
    select(id, fly = true) {
      hook.selected = id;
      tree.reveal(id);
      highlight.show(meshes.matrixOf(id));
      stage.requestRender();
      const box = index.extent(id);
      if (fly && box) navigation.frame(box);
      void inspector.show(id, index.byId.get(id));
      const url = new URL(location.href);
      url.searchParams.set('twin', id);
      history.replaceState(null, '', url);
    },
    paint({ twin, values }) {
      let changed = inspector.apply(twin, values);
      for (const [field, value] of values) {
        if (field !== 'state') continue;
        states.set(twin, value);
        tree.setState(twin, value);
        if (meshes.setState(twin, value)) {
          stage.requestRender();
          changed = true;
        }
      }
      for (const painter of painters) {
        try {
          painter({ twin, values });
        } catch (error) {
          warnOnce('a painter failed on a change; the others still ran', error);
        }
      }
      if (changed) hook.lastLiveUpdate = Date.now();
    },
    addPainter(painter) {
      painters.push(painter);
    },
    onLive(listener) {
      liveListeners.push(listener);
    },
    async resync() {
      // Colours only: the geometry is as loaded; a reload picks up twins added or moved since.
      const fresh = await getJson<WorldScene>('/api/v1/world/scene').catch(() => undefined);
      for (const object of fresh?.objects ?? []) {
        states.set(object.id, object.state);
        tree.setState(object.id, object.state);
        meshes.setState(object.id, object.state);
      }
      stage.requestRender();
      if (inspector.selected) void inspector.show(inspector.selected, index.byId.get(inspector.selected));
    },
  };
  meshes.onLayoutChanged((id) => {
    if (id !== hook.selected) return;
    highlight.show(meshes.matrixOf(id));
    stage.requestRender();
  });
  const tree = new TwinTree($('#tree'), index, states, (id) => world.select(id));
  enableSearch($('#search'), $('#results'), index, states, (id) => world.select(id));
  enablePicking(stage, meshes, (id) => world.select(id, false));

  new LiveFeed({
    onChange(change) {
      for (const listener of liveListeners) listener(change);
      if (world.livePainting) world.paint(change);
    },
    onSubscribed() {
      hook.live = true;
      inspector.setLive(true);
    },
    onClosed() {
      hook.live = false;
      inspector.setLive(false);
    },
    onResync() {
      if (world.livePainting) void world.resync();
    },
  });

  installWelcome(world.viewport, world.toolbar, index.title());
  for (const [name, install] of FEATURES) {
    try {
      await install(world);
    } catch (error) {
      // One feature failing (no WebXR, a model that will not load…) leaves the rest of the world working.
      console.error(`the ${name} feature failed to start`, error);
      hook.featureErrors = [...(hook.featureErrors ?? []), `${name}: ${String(error)}`];
    }
  }

  stage.onRendered = (info) => {
    hook.frames++;
    hook.drawCalls = info.render.calls;
    if (!hook.ready) {
      hook.instances = meshes.counts();
      hook.objects = scene.objects.length;
      hook.softwareRendering = stage.software;
      hook.ready = true;
      $('#status').textContent = '';
    }
  };
  stage.start();

  const wanted = new URLSearchParams(location.search).get('twin');
  if (wanted) {
    if (index.byId.has(wanted)) world.select(wanted);
    else {
      // Not in the scene (a person's document, a product…): the inspector shows it all the same.
      hook.selected = wanted;
      void inspector.show(wanted, undefined);
    }
  }
}

void main().catch((error: unknown) => fail(t('error.start', { error: String(error) })));
