"""The pictures the large demo family's youngest schoolchild drew: drawn afresh by Pillow each
time the demo loads, so no picture file from anywhere else is in the workbook.

Crayon-like shapes in bright colours on off-white paper, the lines wobbling a little, as a
six-year-old's would. The wobble comes from a generator of its own with a fixed seed, so the
same picture (and the same bytes) is drawn every time.
"""

from __future__ import annotations

import io
import itertools
import math
import random

from PIL import Image, ImageDraw

PAPER = (252, 249, 240)
RED = (214, 48, 49)
BLUE = (41, 98, 255)
SKY = (116, 185, 255)
YELLOW = (253, 203, 32)
GREEN = (39, 174, 96)
DARK_GREEN = (22, 120, 60)
BROWN = (141, 85, 36)
PURPLE = (142, 68, 173)
ORANGE = (243, 131, 32)
PINK = (253, 121, 168)
GREY = (99, 110, 114)
BLACK = (30, 30, 30)

Point = tuple[float, float]
Colour = tuple[int, int, int]


class _Crayon:
    """Draws with a slightly unsteady hand."""

    def __init__(self, size: tuple[int, int], seed: int) -> None:
        self.image = Image.new("RGB", size, PAPER)
        self.draw = ImageDraw.Draw(self.image)
        self.rng = random.Random(seed)  # noqa: S311 -- a drawing's wobble, not a secret

    def _jitter(self, p: Point, amount: float = 3.0) -> Point:
        return (p[0] + self.rng.uniform(-amount, amount), p[1] + self.rng.uniform(-amount, amount))

    def line(self, points: list[Point], colour: Colour, width: int = 6) -> None:
        """A line through `points`, each stretch drawn in short wobbling steps."""
        path: list[Point] = []
        for (x1, y1), (x2, y2) in itertools.pairwise(points):
            steps = max(2, int(math.dist((x1, y1), (x2, y2)) / 18))
            for i in range(steps):
                t = i / steps
                path.append(self._jitter((x1 + (x2 - x1) * t, y1 + (y2 - y1) * t), 1.8))
        path.append(points[-1])
        self.draw.line(path, fill=colour, width=width, joint="curve")

    def shape(self, points: list[Point], fill: Colour, outline: Colour = BLACK) -> None:
        """A filled shape, coloured in a little outside its lines."""
        self.draw.polygon([self._jitter(p, 4) for p in points], fill=fill)
        self.line([*points, points[0]], outline, width=5)

    def blob(self, centre: Point, rx: float, ry: float, fill: Colour, outline: Colour | None = None) -> None:
        points = [
            (
                centre[0] + rx * math.cos(a) * self.rng.uniform(0.93, 1.07),
                centre[1] + ry * math.sin(a) * self.rng.uniform(0.93, 1.07),
            )
            for a in (2 * math.pi * i / 28 for i in range(28))
        ]
        self.draw.polygon(points, fill=fill)
        if outline is not None:
            self.line([*points, points[0]], outline, width=4)

    def scribble(self, box: tuple[float, float, float, float], colour: Colour, strokes: int, width: int = 5) -> None:
        """Colouring-in: zigzag strokes across a box."""
        x1, y1, x2, y2 = box
        step = (y2 - y1) / strokes
        points = [(x1 if i % 2 == 0 else x2, y1 + step * i) for i in range(strokes + 1)]
        self.line(points, colour, width)

    def person(self, x: float, foot: float, height: float, colour: Colour, hair: Colour = BROWN) -> None:
        head = height * 0.17
        neck = foot - height + 2 * head
        self.blob((x, neck - head), head, head, (255, 224, 189), BLACK)
        self.line([(x - head, neck - head * 1.4), (x, neck - head * 2.1), (x + head, neck - head * 1.4)], hair, 7)
        body_bottom = foot - height * 0.38
        self.shape(
            [(x, neck), (x + height * 0.2, body_bottom), (x - height * 0.2, body_bottom)], colour
        )  # a triangle coat, as children draw them
        self.line([(x - height * 0.08, body_bottom), (x - height * 0.12, foot)], BLACK, 5)
        self.line([(x + height * 0.08, body_bottom), (x + height * 0.12, foot)], BLACK, 5)
        arm = neck + height * 0.12
        self.line([(x - height * 0.1, arm), (x - height * 0.32, arm + height * 0.1)], BLACK, 5)
        self.line([(x + height * 0.1, arm), (x + height * 0.32, arm - height * 0.06)], BLACK, 5)
        self.blob((x - head * 0.35, neck - head * 1.05), 2.5, 2.5, BLACK)
        self.blob((x + head * 0.35, neck - head * 1.05), 2.5, 2.5, BLACK)
        self.line(
            [(x - head * 0.4, neck - head * 0.6), (x, neck - head * 0.4), (x + head * 0.4, neck - head * 0.6)], BLACK, 3
        )

    def house(self, left: float, ground: float, width: float, height: float, walls: Colour, roof: Colour) -> None:
        top = ground - height
        self.shape([(left, ground), (left + width, ground), (left + width, top), (left, top)], walls)
        self.shape(
            [(left - width * 0.1, top), (left + width / 2, top - height * 0.55), (left + width * 1.1, top)], roof
        )
        door_w, door_h = width * 0.22, height * 0.45
        door_x = left + width * 0.39
        self.shape(
            [
                (door_x, ground),
                (door_x + door_w, ground),
                (door_x + door_w, ground - door_h),
                (door_x, ground - door_h),
            ],
            BROWN,
        )
        self.blob((door_x + door_w * 0.78, ground - door_h * 0.5), 4, 4, YELLOW)
        for wx in (left + width * 0.1, left + width * 0.68):
            wy = top + height * 0.15
            ww = width * 0.22
            self.shape([(wx, wy), (wx + ww, wy), (wx + ww, wy + ww), (wx, wy + ww)], SKY)
            self.line([(wx + ww / 2, wy), (wx + ww / 2, wy + ww)], BLACK, 3)
            self.line([(wx, wy + ww / 2), (wx + ww, wy + ww / 2)], BLACK, 3)

    def sun(self, centre: Point, radius: float) -> None:
        self.blob(centre, radius, radius, YELLOW, ORANGE)
        for i in range(12):
            a = 2 * math.pi * i / 12
            inner = (centre[0] + math.cos(a) * radius * 1.25, centre[1] + math.sin(a) * radius * 1.25)
            outer = (centre[0] + math.cos(a) * radius * 1.8, centre[1] + math.sin(a) * radius * 1.8)
            self.line([inner, outer], ORANGE, 5)

    def tree(self, x: float, ground: float, height: float) -> None:
        trunk = height * 0.12
        self.shape(
            [
                (x - trunk, ground),
                (x + trunk, ground),
                (x + trunk, ground - height * 0.5),
                (x - trunk, ground - height * 0.5),
            ],
            BROWN,
        )
        self.blob((x, ground - height * 0.72), height * 0.3, height * 0.28, GREEN, DARK_GREEN)
        for dx, dy in ((-0.12, -0.75), (0.1, -0.65), (0.02, -0.85)):
            self.blob((x + height * dx, ground + height * dy), 7, 7, RED)

    def png(self) -> bytes:
        out = io.BytesIO()
        self.image.save(out, "PNG", optimize=True)
        return out.getvalue()


def my_house_drawing() -> bytes:
    """A house with a red roof, a sun, a tree with apples, a rainbow and the family in front
    of it: the six people of the family, from the tallest to the baby."""
    crayon = _Crayon((960, 680), seed=6)
    ground = 560
    crayon.scribble((0, ground, 960, 680), GREEN, 9, width=14)
    crayon.scribble((0, 0, 960, 70), SKY, 5, width=10)
    for n, colour in enumerate((RED, ORANGE, YELLOW, GREEN, BLUE, PURPLE)):
        r = 250 - n * 14
        crayon.draw.arc((560 - r, 300 - r, 560 + r, 300 + r), start=195, end=345, fill=colour, width=12)
    crayon.sun((110, 120), 48)
    crayon.house(300, ground, 330, 260, PINK, RED)
    crayon.line([(560, ground - 260 - 70), (560, ground - 260 - 130)], GREY, 14)  # the chimney's smoke
    for n in range(4):
        crayon.blob((575 + n * 22, ground - 400 - n * 26), 14 + n * 3, 10 + n * 2, (210, 210, 210))
    crayon.tree(800, ground + 10, 300)
    family = ((120, 190, BLUE), (185, 175, PURPLE), (245, 135, RED), (290, 115, YELLOW), (330, 95, ORANGE))
    for x, height, colour in family:
        crayon.person(x, ground + 70, height, colour)
    crayon.blob((372, ground + 52), 18, 14, (255, 224, 189), BLACK)  # the baby, sitting on the grass
    crayon.blob((690, ground + 60), 30, 20, (90, 90, 90), BLACK)  # the cat
    crayon.line([(715, ground + 50), (745, ground + 20)], (90, 90, 90), 6)
    return crayon.png()


def three_houses_drawing() -> bytes:
    """The Three Houses: a house of worries (grey, a storm cloud, a cross face), a house of
    good things (yellow, hearts and a football) and a house of dreams (purple, stars and a
    rocket), side by side."""
    crayon = _Crayon((1000, 560), seed=9)
    ground = 480
    crayon.scribble((0, ground, 1000, 560), GREEN, 6, width=12)
    # The house of worries: a rain cloud above it, a cross face in the window.
    crayon.house(40, ground, 240, 220, (190, 190, 190), GREY)
    crayon.blob((160, 95), 95, 40, (120, 120, 130), BLACK)
    for n in range(7):
        x = 85 + n * 24
        crayon.line([(x, 140), (x - 8, 175)], BLUE, 4)
    crayon.line([(90, 70), (115, 45), (105, 75), (130, 50)], YELLOW, 6)  # lightning
    # The house of good things: hearts and a ball.
    crayon.house(380, ground, 240, 220, YELLOW, ORANGE)
    for cx, cy, colour in ((420, 110, RED), (500, 70, PINK), (580, 110, RED)):
        crayon.blob((cx - 10, cy), 14, 14, colour)
        crayon.blob((cx + 10, cy), 14, 14, colour)
        crayon.shape([(cx - 24, cy + 4), (cx + 24, cy + 4), (cx, cy + 32)], colour, colour)
    crayon.blob((660, ground - 25), 24, 24, (255, 255, 255), BLACK)
    crayon.line([(648, ground - 38), (672, ground - 12)], BLACK, 4)
    # The house of dreams: stars and a rocket.
    crayon.house(720, ground, 240, 220, (200, 170, 235), PURPLE)
    for cx, cy in ((760, 60), (850, 110), (930, 50), (700, 130)):
        points = []
        for i in range(10):
            a = math.pi / 2 + i * math.pi / 5
            r = 22 if i % 2 == 0 else 9
            points.append((cx + r * math.cos(a), cy - r * math.sin(a)))
        crayon.shape(points, YELLOW, ORANGE)
    crayon.shape([(885, 150), (905, 150), (905, 200), (885, 200)], (230, 230, 230))
    crayon.shape([(885, 150), (905, 150), (895, 125)], RED)
    crayon.line([(888, 203), (884, 225)], ORANGE, 6)
    crayon.line([(902, 203), (906, 225)], ORANGE, 6)
    return crayon.png()
