// A text label drawn into a canvas texture on a sprite that keeps its size on screen and is drawn over
// the plant, so a name or a pin stays readable from any distance.
import { CanvasTexture, LinearFilter, SRGBColorSpace, Sprite, SpriteMaterial } from 'three';

/** Label height as a share of the view's height. */
const SCREEN_HEIGHT = 0.035;
const FONT_PX = 32;

export function labelSprite(lines: readonly string[], colour: string): Sprite {
  const canvas = document.createElement('canvas');
  const g = canvas.getContext('2d')!;
  const font = `600 ${FONT_PX}px system-ui, sans-serif`;
  g.font = font;
  const width = Math.ceil(Math.max(...lines.map((line) => g.measureText(line).width))) + 28;
  const lineHeight = FONT_PX * 1.25;
  canvas.width = width;
  canvas.height = Math.ceil(lineHeight * lines.length + 12);
  g.font = font;
  g.fillStyle = 'rgba(15, 23, 32, 0.85)';
  g.strokeStyle = colour;
  g.lineWidth = 4;
  g.beginPath();
  g.roundRect(2, 2, canvas.width - 4, canvas.height - 4, 10);
  g.fill();
  g.stroke();
  g.textBaseline = 'middle';
  lines.forEach((line, i) => {
    g.fillStyle = i === 0 ? '#ffffff' : '#b8c4d0';
    g.fillText(line, 14, 6 + lineHeight * (i + 0.5));
  });
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  texture.minFilter = LinearFilter;
  const material = new SpriteMaterial({
    map: texture,
    sizeAttenuation: false,
    depthTest: false,
    transparent: true,
  });
  const sprite = new Sprite(material);
  const height = SCREEN_HEIGHT * lines.length;
  sprite.scale.set((height * canvas.width) / canvas.height, height, 1);
  // Anchored at its bottom centre, so it sits above the point it labels.
  sprite.center.set(0.5, 0);
  sprite.renderOrder = 10;
  return sprite;
}

export function disposeSprite(sprite: Sprite): void {
  sprite.material.map?.dispose();
  sprite.material.dispose();
}
