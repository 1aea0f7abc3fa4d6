"""What a figure is asked to be: its use (preset), size, words and look.

Sizes are in layout units: pixels for screen presets, points (1/72 inch)
for print, where the drawing is then scaled to 300 dots per inch. The
``scale`` multiplies layout units into output pixels, so an article figure
is laid out 1200 wide and written 2400 pixels wide, sharp on a retina
screen, with the same proportions of text to drawing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

PRINT_DPI = 300


@dataclass(frozen=True)
class Preset:
    name: str
    width: float
    height: float | None  # None: as tall as the content needs
    scale: float
    text_px: float  # body text in layout units
    page: str | None = None  # a print page size: "A4" or "Letter", landscape
    label: str = ""


PRESETS = {
    "article": Preset("article", 1200, None, 2.0, 14, label="Article: 1200 px wide at 2x"),
    "social": Preset("social", 1080, 1350, 1.0, 22, label="Social card: 1080 x 1350 px"),
    "slide": Preset("slide", 1920, 1080, 1.0, 21, label="Slide: 1920 x 1080 px"),
    "a4": Preset("a4", 841.89, 595.28, PRINT_DPI / 72, 8.5, page="A4", label="Print: A4 landscape, 300 dpi"),
    "letter": Preset("letter", 792, 612, PRINT_DPI / 72, 8.5, page="Letter", label="Print: Letter landscape, 300 dpi"),
}
VIEWS = ("timeline", "graph", "both")
FORMATS = ("png", "svg", "pdf", "html")


@dataclass(frozen=True)
class FigureOptions:
    view: str = "both"
    preset: str = "article"
    width: float | None = None  # override the preset (layout units)
    height: float | None = None
    scale: float | None = None
    title: str | None = None  # None: the story's title
    subtitle: str | None = None  # None: the window, described
    caption: str = ""
    credit: str = ""
    dark: bool = False
    text_size: float = 1.0  # times the preset's text size
    highlight: bool = False  # draw the selection as a highlight

    @property
    def preset_spec(self) -> Preset:
        return PRESETS[self.preset]

    @property
    def page_width(self) -> float:
        return float(self.width or self.preset_spec.width)

    @property
    def fixed_height(self) -> float | None:
        return float(self.height) if self.height else self.preset_spec.height

    @property
    def out_scale(self) -> float:
        return float(self.scale or self.preset_spec.scale)

    @property
    def text_px(self) -> float:
        # a custom width keeps the preset's proportions of text to page
        base = self.preset_spec.text_px * (self.page_width / self.preset_spec.width) ** 0.5 if self.width else self.preset_spec.text_px
        return base * self.text_size

    @property
    def print_page(self) -> str | None:
        """A4 or Letter when the page is a print preset at its own size."""
        spec = self.preset_spec
        return spec.page if spec.page and not self.width and not self.height else None

    def with_(self, **changes) -> "FigureOptions":
        return replace(self, **changes)
