import ast
import subprocess
import sys
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from app.domain.documents import charts
from app.domain.documents.charts import month_label, monthly_hours_png, progress_bar_png

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MONTHS = [("2026-01", Decimal("120")), ("2026-02", Decimal("1350.5")), ("2026-03", Decimal(0))]


def size(png: bytes) -> tuple[int, int]:
    with Image.open(BytesIO(png)) as image:
        return image.size


def test_progress_bar_png_is_small_png():
    png = progress_bar_png(Decimal("1234.5"), Decimal(2000), "Marché 2026-001 — lot 2")
    assert png.startswith(PNG_MAGIC)
    assert size(png) == (600, 140)
    assert len(png) < 30_000
    assert b"Matplotlib" not in png  # no software tag: bytes depend on the input only


def test_progress_bar_png_same_input_same_bytes():
    first = progress_bar_png(Decimal(800), Decimal(2000), "Lot 1")
    assert first == progress_bar_png(Decimal(800), Decimal(2000), "Lot 1")
    assert first != progress_bar_png(Decimal(900), Decimal(2000), "Lot 1")


@pytest.mark.parametrize(
    ("done", "required"), [(Decimal(0), Decimal(0)), (Decimal(2600), Decimal(2000))]
)
def test_progress_bar_png_edge_values_still_draw(done, required):
    assert progress_bar_png(done, required, "Lot").startswith(PNG_MAGIC)


def test_monthly_hours_png_width_grows_with_months_and_is_deterministic():
    png = monthly_hours_png(MONTHS, "Heures réalisées par mois")
    assert png.startswith(PNG_MAGIC)
    width, height = size(png)
    assert (width, height) == (400, 320)
    year = [(f"2026-{m:02d}", Decimal(m * 10)) for m in range(1, 13)]
    assert size(monthly_hours_png(year, "Année"))[0] > width
    assert png == monthly_hours_png(MONTHS, "Heures réalisées par mois")


def test_monthly_hours_png_no_month_still_draws():
    assert monthly_hours_png([], "Aucune heure").startswith(PNG_MAGIC)


@pytest.mark.parametrize(
    ("key", "label"),
    [("2026-03", "mars 2026"), ("2026-08", "août 2026"), ("2027-12", "décembre 2027")],
)
def test_month_label_key_gives_french_month(key, label):
    assert month_label(key) == label


def test_charts_module_uses_figure_api_without_pyplot():
    tree = ast.parse(Path(charts.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not any("pyplot" in name for name in imported)
    # Drawing must not pull pyplot in indirectly either (it keeps global figure state).
    code = (
        "import sys; from decimal import Decimal; from app.domain.documents import charts; "
        "charts.progress_bar_png(Decimal(1), Decimal(2), 'x'); "
        "charts.monthly_hours_png([('2026-01', Decimal(3))], 'y'); "
        "print('matplotlib.pyplot' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert result.stdout.strip() == "False"
