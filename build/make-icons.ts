/**
 * Draws Chordline's icons from scratch and writes every file packaging and the tray need:
 *
 *   build/icon.png            1024×1024, the master (electron-builder, macOS and Linux)
 *   build/icon.icns           macOS (PNG-compressed entries, 16 to 1024)
 *   build/icon.ico            Windows (BMP entries up to 128, PNG at 256, as NSIS expects)
 *   build/icons/NxN.png       Linux (AppImage and deb install them into hicolor)
 *   resources/icon.png        512×512, the window's and notifications' icon at run time
 *   resources/tray/*.png      the tray's three states, 16×16 and @2x
 *
 * The picture: a ring of peers joined by chords (the overlay) around a telephone handset, on a
 * rounded square. Drawn with signed distance functions and 4×4 supersampling, encoded by hand
 * (zlib is Node's): no image library, no network, the same bytes on every run.
 *
 *   npx tsx build/make-icons.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';

type Rgba = [number, number, number, number];
/** A shape's signed distance at (x, y), in units of the icon's side (0..1); negative inside. */
type Sdf = (x: number, y: number) => number;
interface Layer {
  shape: Sdf;
  color: (x: number, y: number) => Rgba;
}

const ROOT = join(import.meta.dirname, '..');

// ---- shapes ---------------------------------------------------------------------------------

const circle =
  (cx: number, cy: number, r: number): Sdf =>
  (x, y) =>
    Math.hypot(x - cx, y - cy) - r;

const ring =
  (cx: number, cy: number, r: number, halfWidth: number): Sdf =>
  (x, y) =>
    Math.abs(Math.hypot(x - cx, y - cy) - r) - halfWidth;

const segment =
  (ax: number, ay: number, bx: number, by: number, halfWidth: number): Sdf =>
  (x, y) => {
    const px = x - ax;
    const py = y - ay;
    const dx = bx - ax;
    const dy = by - ay;
    const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
    return Math.hypot(px - t * dx, py - t * dy) - halfWidth;
  };

const roundedSquare =
  (cx: number, cy: number, half: number, radius: number): Sdf =>
  (x, y) => {
    const qx = Math.abs(x - cx) - half + radius;
    const qy = Math.abs(y - cy) - half + radius;
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
  };

/** An arc of a ring between two angles (radians, y pointing down), with round ends. */
const arc =
  (cx: number, cy: number, r: number, from: number, to: number, halfWidth: number): Sdf =>
  (x, y) => {
    let a = Math.atan2(y - cy, x - cx);
    while (a < from) a += 2 * Math.PI;
    if (a <= to) return Math.abs(Math.hypot(x - cx, y - cy) - r) - halfWidth;
    const end = (t: number) => Math.hypot(x - (cx + r * Math.cos(t)), y - (cy + r * Math.sin(t)));
    return Math.min(end(from), end(to)) - halfWidth;
  };

const union =
  (...shapes: Sdf[]): Sdf =>
  (x, y) =>
    Math.min(...shapes.map((s) => s(x, y)));

const solid = (color: Rgba) => (): Rgba => color;

// ---- the pictures ---------------------------------------------------------------------------

const WHITE: Rgba = [255, 255, 255, 255];

function appIcon(): Layer[] {
  const top: Rgba = [20, 152, 142, 255];
  const bottom: Rgba = [14, 86, 120, 255];
  const background: Layer = {
    // macOS asks for a margin around the square (the 824/1024 grid); the others do not mind it.
    shape: roundedSquare(0.5, 0.5, 0.41, 0.095),
    color: (_x, y) => mix(top, bottom, (y - 0.09) / 0.82),
  };
  // Six peers on the ring, and the top peer's fingers across it (Chord's shortcuts).
  const cx = 0.5;
  const cy = 0.5;
  const r = 0.29;
  const angles = [-90, -30, 30, 90, 150, 210].map((d) => (d * Math.PI) / 180);
  const peers = angles.map((a) => [cx + r * Math.cos(a), cy + r * Math.sin(a)] as const);
  const chords = [
    [0, 2],
    [0, 3],
    [0, 4],
  ].map(([a, b]) => segment(peers[a][0], peers[a][1], peers[b][0], peers[b][1], 0.006));
  const faint: Rgba = [255, 255, 255, 95];
  // The handset, as on a call button: its back bowed toward the lower left, the ear and mouth
  // pieces at the ends of the handle turned toward the upper right, where the face would be.
  const hc = [0.585, 0.415] as const;
  const hr = 0.2;
  const from = (80 * Math.PI) / 180;
  const to = (190 * Math.PI) / 180;
  const piece = (t: number) => {
    const ex = hc[0] + hr * Math.cos(t);
    const ey = hc[1] + hr * Math.sin(t);
    const len = Math.hypot(hc[0] - ex, hc[1] - ey);
    const ux = (hc[0] - ex) / len;
    const uy = (hc[1] - ey) / len;
    return segment(ex + 0.01 * ux, ey + 0.01 * uy, ex + 0.055 * ux, ey + 0.055 * uy, 0.05);
  };
  const handset = union(arc(hc[0], hc[1], hr, from, to, 0.036), piece(from), piece(to));
  return [
    background,
    { shape: union(...chords), color: solid(faint) },
    { shape: ring(cx, cy, r, 0.014), color: solid([255, 255, 255, 200]) },
    { shape: union(...peers.map(([x, y]) => circle(x, y, 0.038))), color: solid(WHITE) },
    { shape: handset, color: solid(WHITE) },
  ];
}

/** The tray: a ring of peers whose centre says the state. */
function trayIcon(kind: 'ready' | 'offline' | 'in-call'): Layer[] {
  const colors: Record<typeof kind, Rgba> = {
    ready: [34, 197, 94, 255],
    offline: [148, 153, 163, 255],
    'in-call': [239, 68, 68, 255],
  };
  const outline: Rgba = [55, 65, 81, 255];
  const layers: Layer[] = [
    // A dark outline under a light ring reads on both light and dark panels.
    { shape: ring(0.5, 0.5, 0.36, 0.1), color: solid(outline) },
    { shape: ring(0.5, 0.5, 0.36, 0.05), color: solid([243, 244, 246, 255]) },
  ];
  if (kind === 'offline') {
    layers.push({ shape: ring(0.5, 0.5, 0.14, 0.05), color: solid(colors.offline) });
  } else {
    layers.push({ shape: circle(0.5, 0.5, 0.2), color: solid(outline) });
    layers.push({ shape: circle(0.5, 0.5, 0.16), color: solid(colors[kind]) });
  }
  return layers;
}

// ---- rasterising ----------------------------------------------------------------------------

/** RGBA pixels, straight alpha, rows top to bottom. */
function render(layers: Layer[], size: number): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          // "Over" compositing of each layer, premultiplied.
          let cr = 0;
          let cg = 0;
          let cb = 0;
          let ca = 0;
          for (const layer of layers) {
            if (layer.shape(x, y) > 0) continue;
            const [lr, lg, lb, la] = layer.color(x, y);
            const alpha = la / 255;
            cr = lr * alpha + cr * (1 - alpha);
            cg = lg * alpha + cg * (1 - alpha);
            cb = lb * alpha + cb * (1 - alpha);
            ca = alpha + ca * (1 - alpha);
          }
          r += cr;
          g += cg;
          b += cb;
          a += ca;
        }
      }
      const n = samples * samples;
      const i = (py * size + px) * 4;
      const alpha = a / n;
      pixels[i] = alpha > 0 ? Math.round(r / n / alpha) : 0;
      pixels[i + 1] = alpha > 0 ? Math.round(g / n / alpha) : 0;
      pixels[i + 2] = alpha > 0 ? Math.round(b / n / alpha) : 0;
      pixels[i + 3] = Math.round(alpha * 255);
    }
  }
  return pixels;
}

function mix(a: Rgba, b: Rgba, t: number): Rgba {
  const k = Math.max(0, Math.min(1, t));
  return [0, 1, 2, 3].map((i) => Math.round(a[i] + (b[i] - a[i]) * k)) as Rgba;
}

// ---- file formats ---------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** PNG (RFC 2083): 8-bit RGBA, no interlace, filter "none" on every row. */
function png(pixels: Buffer, size: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A Windows icon: a BMP (DIB) image per size below 256, a PNG at 256. */
function ico(images: Array<{ size: number; pixels: Buffer }>): Buffer {
  const bodies = images.map(({ size, pixels }) => (size >= 256 ? png(pixels, size) : dib(pixels, size)));
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size }, i) => {
    const e = 6 + 16 * i;
    header[e] = size >= 256 ? 0 : size;
    header[e + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, e + 4); // planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(bodies[i].length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += bodies[i].length;
  });
  return Buffer.concat([header, ...bodies]);
}

/** BITMAPINFOHEADER, BGRA rows bottom-up, then the 1-bit AND mask (all zero: alpha decides). */
function dib(pixels: Buffer, size: number): Buffer {
  const info = Buffer.alloc(40);
  info.writeUInt32LE(40, 0);
  info.writeInt32LE(size, 4);
  info.writeInt32LE(size * 2, 8); // colour rows + mask rows
  info.writeUInt16LE(1, 12);
  info.writeUInt16LE(32, 14);
  info.writeUInt32LE(size * size * 4, 20);
  const colour = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 4;
      const to = ((size - 1 - y) * size + x) * 4;
      colour[to] = pixels[from + 2];
      colour[to + 1] = pixels[from + 1];
      colour[to + 2] = pixels[from];
      colour[to + 3] = pixels[from + 3];
    }
  }
  const maskRow = Math.ceil(size / 32) * 4;
  return Buffer.concat([info, colour, Buffer.alloc(maskRow * size)]);
}

/** An Apple icon family: PNG-compressed entries (supported since OS X 10.7). */
function icns(entries: Array<{ type: string; data: Buffer }>): Buffer {
  const parts = entries.map(({ type, data }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

// ---- writing --------------------------------------------------------------------------------

function write(relative: string, data: Buffer): void {
  const file = join(ROOT, relative);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, data);
  console.log(`${relative} (${data.length} bytes)`);
}

function main(): void {
  const icon = appIcon();
  const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
  const pngs = new Map<number, Buffer>();
  const raw = new Map<number, Buffer>();
  for (const size of sizes) {
    const pixels = render(icon, size);
    raw.set(size, pixels);
    pngs.set(size, png(pixels, size));
  }
  write('build/icon.png', pngs.get(1024)!);
  for (const size of [16, 32, 48, 64, 128, 256, 512])
    write(`build/icons/${size}x${size}.png`, pngs.get(size)!);
  write('resources/icon.png', pngs.get(512)!);
  write(
    'build/icon.ico',
    ico([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, pixels: raw.get(size)! }))),
  );
  write(
    'build/icon.icns',
    icns([
      { type: 'icp4', data: pngs.get(16)! },
      { type: 'icp5', data: pngs.get(32)! },
      { type: 'ic11', data: pngs.get(32)! },
      { type: 'icp6', data: pngs.get(64)! },
      { type: 'ic12', data: pngs.get(64)! },
      { type: 'ic07', data: pngs.get(128)! },
      { type: 'ic08', data: pngs.get(256)! },
      { type: 'ic13', data: pngs.get(256)! },
      { type: 'ic09', data: pngs.get(512)! },
      { type: 'ic14', data: pngs.get(512)! },
      { type: 'ic10', data: pngs.get(1024)! },
    ]),
  );
  for (const kind of ['ready', 'offline', 'in-call'] as const) {
    const layers = trayIcon(kind);
    write(`resources/tray/${kind}.png`, png(render(layers, 16), 16));
    write(`resources/tray/${kind}@2x.png`, png(render(layers, 32), 32));
  }
}

main();
