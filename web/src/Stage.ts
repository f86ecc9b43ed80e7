// The renderer, camera, lights and ground grid, and a frame loop that renders only when something moved:
// a still plant costs no GPU time, which matters on laptops and on the shared CI machine.
import {
  Color,
  DirectionalLight,
  GridHelper,
  HemisphereLight,
  PerspectiveCamera,
  Scene,
  WebGLRenderer,
  type WebGLInfo,
} from 'three';
import type { WorldScene } from '../../src/core/wire.js';
import { warnOnce } from './warn-once.js';

/** Runs every frame; returns true while it still changes the view (an animation, damping, a key held). */
export type Ticker = (seconds: number) => boolean;

export class Stage {
  readonly scene = new Scene();
  readonly camera: PerspectiveCamera;
  readonly renderer: WebGLRenderer;
  private readonly tickers: Ticker[] = [];
  private dirty = true;
  private last = performance.now();
  /** WebGL runs on the CPU here (SwiftShader, llvmpipe): edges are not smoothed, to keep frames fast. */
  readonly software: boolean;
  /** Called after each rendered frame with the renderer's counters. */
  onRendered: (info: WebGLInfo) => void = () => {};

  constructor(
    readonly host: HTMLElement,
    bounds: WorldScene['bounds'],
  ) {
    // Multisampling costs a CPU renderer (no GPU, or a blocked one) three to four times the frame time.
    this.software = isSoftwareRenderer();
    this.renderer = new WebGLRenderer({ antialias: !this.software });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    host.prepend(this.renderer.domElement);
    this.renderer.domElement.tabIndex = 0;
    this.scene.background = new Color('#0f1720');

    const size = Math.max(bounds.maxX - bounds.minX, bounds.maxY - bounds.minY, 20);
    this.camera = new PerspectiveCamera(50, 1, 0.1, size * 20);
    this.scene.add(new HemisphereLight(0xe4eef8, 0x1b2530, 1.7));
    const sun = new DirectionalLight(0xffffff, 1.8);
    sun.position.set(0.6, 1, 0.45);
    this.scene.add(sun);

    // Ground grid in 5 m cells around the plant, just under the floors.
    const gridSize = Math.ceil((size * 1.6) / 10) * 10;
    const grid = new GridHelper(gridSize, gridSize / 5, 0x30404f, 0x1d2935);
    grid.position.set((bounds.minX + bounds.maxX) / 2, -0.1, -(bounds.minY + bounds.maxY) / 2);
    this.scene.add(grid);

    new ResizeObserver(() => this.resize()).observe(host);
    // Leaving a headset session: take the page's size again and redraw the normal view.
    this.renderer.xr.addEventListener('sessionend', () => {
      this.resize();
      this.dirty = true;
    });
    this.resize();
  }

  addTicker(ticker: Ticker): void {
    this.tickers.push(ticker);
  }

  requestRender(): void {
    this.dirty = true;
  }

  /** Whether an immersive (WebXR) session is showing the scene: then every frame is drawn. */
  get presenting(): boolean {
    return this.renderer.xr.isPresenting;
  }

  start(): void {
    // three's animation loop runs on the window's frames, and on the headset's while a WebXR session
    // presents. Outside XR a frame draws only when something asked for it; in XR every frame is drawn,
    // because the viewer's head moves the picture all the time.
    this.renderer.setAnimationLoop((now) => {
      const seconds = Math.min(Math.max(now - this.last, 0) / 1000, 0.1);
      this.last = now;
      for (const tick of this.tickers) {
        try {
          if (tick(seconds)) this.dirty = true;
        } catch (error) {
          warnOnce('a frame ticker failed; it keeps running', error);
        }
      }
      if (!this.dirty && !this.presenting) return;
      this.dirty = false;
      try {
        this.renderer.render(this.scene, this.camera);
        this.onRendered(this.renderer.info);
      } catch (error) {
        warnOnce('rendering failed; the next frame tries again', error);
      }
    });
  }

  private resize(): void {
    const { clientWidth: width, clientHeight: height } = this.host;
    // The headset owns the drawing size while it presents; the page's size applies again after.
    if (width === 0 || height === 0 || this.presenting) return;
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.dirty = true;
  }
}

/** Whether the browser draws WebGL in software, judged from a throwaway context's renderer name. */
function isSoftwareRenderer(): boolean {
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return false;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return /swiftshader|llvmpipe|softpipe|software/i.test(name);
  } catch {
    return false;
  }
}
