/** Canvas patterns the renderer fills with: stripes for a leader not yet serving, hatching for a silence. */

/**
 * Diagonal lines across a rectangle, `spacing` px apart, clipped to it. `direction` 1 leans them like `/`,
 * -1 like `\` (a silence and a pre-broadcast phase on top of each other stay told apart).
 */
export function diagonalLines(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  w: number,
  h: number,
  colour: string,
  spacing: number,
  direction: 1 | -1 = 1,
): void {
  if (w <= 0 || h <= 0) return;
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, w, h);
  ctx.clip();
  ctx.strokeStyle = colour;
  ctx.lineWidth = 1;
  ctx.beginPath();
  // On a grid fixed to the canvas: the stripes of neighbouring shapes line up.
  const first = Math.floor((x - h) / spacing) * spacing;
  for (let sx = first; sx < x + w + h; sx += spacing) {
    if (direction === 1) {
      ctx.moveTo(sx, y + h);
      ctx.lineTo(sx + h, y);
    } else {
      ctx.moveTo(sx, y);
      ctx.lineTo(sx + h, y + h);
    }
  }
  ctx.stroke();
  ctx.restore();
}

/** A marker's diamond centred on `cx`, from `top` to `bottom`, in the current fill. */
export function diamond(ctx: CanvasRenderingContext2D, cx: number, top: number, bottom: number): void {
  const mid = (top + bottom) / 2;
  ctx.beginPath();
  ctx.moveTo(cx, top);
  ctx.lineTo(cx + 5, mid);
  ctx.lineTo(cx, bottom);
  ctx.lineTo(cx - 5, mid);
  ctx.closePath();
  ctx.fill();
}
