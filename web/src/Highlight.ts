// The selection marker: a bright wireframe box around the selected instance, drawn over everything
// so a machine inside a cell or behind a rack can still be seen to be the selected one.
import { BoxGeometry, EdgesGeometry, LineBasicMaterial, LineSegments, Matrix4 } from 'three';

const GROW = new Matrix4().makeScale(1.08, 1.05, 1.08);

export class Highlight {
  readonly object: LineSegments;

  constructor() {
    const edges = new EdgesGeometry(new BoxGeometry(1, 1, 1).translate(0, 0.5, 0));
    this.object = new LineSegments(edges, new LineBasicMaterial({ color: 0xffffff, depthTest: false }));
    this.object.matrixAutoUpdate = false;
    this.object.renderOrder = 10;
    this.object.visible = false;
  }

  /** Frames the instance whose unit cell maps to the world by this matrix; none hides the marker. */
  show(instanceMatrix: Matrix4 | undefined): void {
    this.object.visible = instanceMatrix !== undefined;
    if (instanceMatrix) this.object.matrix.multiplyMatrices(instanceMatrix, GROW);
    this.object.matrixWorldNeedsUpdate = true;
  }
}
