"""The printed annex: per-proposal parts rendered by WeasyPrint and cached on disk,
assembled with a front page, the overview table and the contents, page numbers stamped.

Why parts: WeasyPrint costs about 0.2 s and 2.3 MB per page when a whole catalogue is one
document. Each proposal is its own document, cached in the storage STORAGES["annex_parts"]
(MEDIA_ROOT or an S3 bucket, shared by every app server and worker) with a
key of the proposal's id, version and last change, the catalogue's header and a
fingerprint of everything that shapes the print (templates, CSS, translations, this
code, WeasyPrint's version). Re-printing after one change renders one proposal; a cold
render uses a process pool (both cores); memory stays flat because no process ever holds
more than one proposal's layout.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import gc
import hashlib
import io
import multiprocessing
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import weasyprint
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from pikepdf import Name

from cases.appraisal import appraisal_settings
from cases.models import Catalog, Proposal
from cases.permissions import visible_proposals
from cases.price_levels import PriceLevelChoice, capital_note, proposal_in_price_level
from cases.selectors import figures_for, proposals_with_inputs
from committees.models import Administration, Committee
from finance import engine
from followup.report import catalogue_report
from followup.selectors import today
from ops.fingerprint import files_fingerprint

from . import printing
from .assembly import Piece, join
from .stamp import stamp_page_numbers
from .weasy import html_to_pdf_counted, render_part, start_worker

APP_DIR = Path(__file__).resolve().parent
PRINT_LANGUAGE = "da"
Progress = Callable[[int, int, str], None]


@functools.cache
def render_fingerprint() -> str:
    """A hash of everything besides the data that shapes a printed part."""
    sources = [
        *sorted((APP_DIR / "templates" / "annex").glob("*.html")),
        *sorted((APP_DIR / "static" / "annex").glob("*")),
        *sorted((APP_DIR / "locale").rglob("*.mo")),
        APP_DIR / "printing.py",
        APP_DIR / "technical.py",
        APP_DIR.parent / "finance" / "technical_annex.py",
        # the figures and checks it prints, and the Kontrolnoter's rows
        APP_DIR.parent / "finance" / "engine.py",
        APP_DIR.parent / "finance" / "control.py",
        APP_DIR / "weasy.py",
        APP_DIR.parent / "cases" / "charts.py",
        APP_DIR.parent / "cases" / "appraisal.py",
        APP_DIR.parent / "finance" / "appraisal.py",
        # the print builds its tables with these (rows, labels, line data)
        APP_DIR.parent / "cases" / "presentation.py",
        APP_DIR.parent / "cases" / "richtext.py",
        APP_DIR / "layout.py",
        *sorted((APP_DIR / "layouts").glob("*.json")),
        APP_DIR.parent / "cases" / "templatetags" / "bilag.py",
        APP_DIR.parent / "cases" / "selectors.py",
    ]
    return files_fingerprint(sources, salt=weasyprint.__version__)


# --- the cache, through Django's storage API (never a path on this server) ----------------
PARTS = "annex/parts"
FRONT = "annex/front"
PAGES = re.compile(r"(?P<stem>.+)-p(?P<pages>\d+)\.pdf")


def part_storage():
    """The storage of the cached parts and front matter (settings.STORAGES["annex_parts"])."""
    return storages["annex_parts"]


def cached_files(folder: str) -> dict[str, int]:
    """The cached PDFs in a folder of the parts storage: {name: pages} (from the names,
    `<stem>-p<pages>.pdf`); anything else there (temporary files) is left out."""
    try:
        names = part_storage().listdir(folder)[1]
    except FileNotFoundError:
        return {}
    return {
        f"{folder}/{name}": int(match["pages"])
        for name in names
        if (match := PAGES.fullmatch(name))
    }


def open_cached(stack: contextlib.ExitStack, name: str) -> pikepdf.Pdf:
    """A cached PDF opened by pikepdf: from its path on local disk (qpdf reads the file
    itself, fastest), else from the storage's file object (S3)."""
    storage = part_storage()
    if isinstance(storage, FileSystemStorage):
        source = storage.path(name)
    else:
        source = stack.enter_context(storage.open(name, "rb"))
    return stack.enter_context(pikepdf.open(source))


def appraisal_key(catalog) -> str:
    """What of the catalogue shapes the optional appraisal rows of a part."""
    if not catalog.print_appraisal:
        return "-"
    return repr(appraisal_settings(catalog))


def part_key(proposal: Proposal) -> str:
    catalog = proposal.catalog
    raw = "|".join(
        [
            str(proposal.pk),
            str(proposal.version),
            proposal.updated_at.isoformat() if proposal.updated_at else "",
            printing.running_header(catalog),
            str(catalog.budget_year),
            catalog.pool,
            # the committee approval the part prints (changes with every approval of
            # the current submission, and lapses when the proposal is sent back)
            printing.approval_line(proposal),
            # the optional present value rows and their settings
            appraisal_key(catalog),
            # the p/l it is printed in (a converted copy: the years and index values)
            str(proposal.price_level_year),
            getattr(proposal, "price_level_key", ""),
            render_fingerprint(),
        ]
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def part_stem(proposal: Proposal) -> str:
    return f"v{proposal.version}-{part_key(proposal)}"


def part_folder(proposal: Proposal) -> str:
    """The proposal's folder of cached parts; a part printed in another p/l has its own
    (`<pk>-pl<year>`), so that the two prints do not evict each other."""
    if getattr(proposal, "price_level_key", ""):
        return f"{PARTS}/{proposal.pk}-pl{proposal.price_level_year}"
    return f"{PARTS}/{proposal.pk}"


def cached_part(proposal: Proposal) -> tuple[str, int] | None:
    """The current part of a proposal (its name in the parts storage) and its page count
    (kept in the name, so that assembling an annex never parses a part twice), or None."""
    prefix = f"{part_folder(proposal)}/{part_stem(proposal)}-p"
    for name, pages in cached_files(part_folder(proposal)).items():
        if name.startswith(prefix):
            return name, pages
    return None


def part_name(proposal: Proposal, pages: int) -> str:
    return f"{part_folder(proposal)}/{part_stem(proposal)}-p{pages}.pdf"


def natural_key(number: str) -> tuple:
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", number))


def annex_order(proposal: Proposal) -> tuple:
    committee = proposal.committee
    return (committee.order if committee else 10_000, natural_key(proposal.number))


def select_proposals(
    catalog: Catalog,
    statuses: Iterable[str] | None = None,
    numbers: Iterable[str] | None = None,
    user=None,
) -> list[Proposal]:
    """The catalogue's proposals (optionally of the given statuses or numbers; with
    `user`, only those the user may read) with all inputs prefetched (a fixed number of
    queries), in the annex's order: committee, then number."""
    queryset = selection(catalog, statuses, numbers, user)
    return sorted(proposals_with_inputs(queryset), key=annex_order)


def selection(
    catalog: Catalog,
    statuses: Iterable[str] | None = None,
    numbers: Iterable[str] | None = None,
    user=None,
) -> QuerySet[Proposal]:
    """The catalogue's proposals of the given statuses or numbers (none given: all);
    with `user`, only those the user may read. Unordered, nothing prefetched."""
    queryset = Proposal.objects.filter(catalog=catalog)
    if user is not None:
        queryset = visible_proposals(user, queryset)
    statuses = [s for s in statuses or [] if s]
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    if numbers is not None:
        queryset = queryset.filter(number__in=list(numbers))
    return queryset


# How many proposals' inputs a streamed print or export holds at once.
CHUNK = 100
# ... in the main process of an annex render, whose memory adds up with the render
# workers' while the parts are made: a chunk of 100 proposals' inputs and figures held
# 10-27 MB at once (and the heap kept the room); measured with the parts rendered by
# stand-ins, 1,000 proposals: the main process's peak while the parts are made 188 MB
# with chunks of 100, 160 MB with chunks of 20 (the same ~10 queries a chunk: ~40 more
# per 100 proposals, a few milliseconds).
RENDER_CHUNK = 20


def stream_proposals(
    catalog: Catalog,
    statuses: Iterable[str] | None = None,
    *,
    user=None,
    chunk: int = CHUNK,
) -> Iterator[Proposal]:
    """`select_proposals` for prints and exports of any size: the same proposals in the
    same (annex) order, their inputs loaded `chunk` at a time (a fixed number of queries
    per chunk), so that memory does not grow with the catalogue.

    A proposal's prefetched inputs (lines, amounts, distributions, ...) are released
    when the next chunk is loaded: a consumer keeps only what is on the instance itself
    (number, title, version, catalogue, committee) and what it computed from them."""
    keys = sorted(
        selection(catalog, statuses, user=user).values_list("pk", "committee__order", "number"),
        key=lambda r: (10_000 if r[1] is None else r[1], natural_key(r[2])),
    )
    ids = [pk for pk, _order, _number in keys]
    previous: list[Proposal] = []
    for start in range(0, len(ids), chunk):
        for proposal in previous:
            getattr(proposal, "_prefetched_objects_cache", {}).clear()
        wanted = ids[start : start + chunk]
        loaded = {p.pk: p for p in proposals_with_inputs(Proposal.objects.filter(pk__in=wanted))}
        previous = [loaded[pk] for pk in wanted if pk in loaded]
        yield from previous


def check_price_level(
    catalog: Catalog,
    price_level: PriceLevelChoice,
    statuses: Iterable[str] | None = None,
    user=None,
) -> str:
    """Why the catalogue's annex cannot be printed in the chosen p/l (a Danish message),
    or "" when it can: the choice was refused (`choose_price_level`), or a selected
    proposal's own p/l has no index value. One query (the selection's own years)."""
    if price_level.error or price_level.year is None:
        return price_level.error
    own_years = (
        selection(catalog, statuses, user=user)
        .exclude(price_level_year=price_level.year)
        .values_list("price_level_year", flat=True)
        .distinct()
    )
    missing = sorted(set(own_years) - set(price_level.service_index))
    if missing:
        return gettext(
            "There is no price and wage index for %(years)s, the price level of proposals "
            "in the catalogue; the annex cannot be printed in %(year)d p/l."
        ) % {"years": ", ".join(str(y) for y in missing), "year": price_level.year}
    return ""


def stream_figures(
    proposals: Iterable[Proposal], price_level: PriceLevelChoice | None = None
) -> Iterator[tuple[Proposal, engine.Figures]]:
    """(proposal, figures) pairs, computed one at a time. The one place the print
    obtains a proposal's inputs: with ``price_level`` (a choice with a year), each
    proposal is a converted copy in that p/l and its figures are computed from the
    converted case (`cases.price_levels.proposal_in_price_level`); raises
    ``finance.prices.PriceLevelError`` when a proposal's own year has no index."""
    for proposal in proposals:
        if price_level is not None and price_level.year is not None:
            yield proposal_in_price_level(proposal, price_level)
        else:
            yield proposal, figures_for(proposal)


@dataclass
class Reference:
    """What every part needs besides its proposal (read once per annex)."""

    administrations: list[Administration]
    committees: list[Committee]

    @classmethod
    def load(cls) -> Reference:
        return cls(
            administrations=list(Administration.objects.order_by("order", "code")),
            committees=list(Committee.objects.order_by("order", "code")),
        )


def part_html(proposal: Proposal, figures: engine.Figures, reference: Reference) -> str:
    with translation.override(PRINT_LANGUAGE):
        context = printing.proposal_context(
            proposal, figures, reference.administrations, reference.committees
        )
        return render_to_string("annex/part.html", context)


@dataclass
class RenderStats:
    rendered: int = 0
    cached: int = 0
    pages: int = 0
    seconds: float = 0.0
    part_pages: dict[int, int] = field(default_factory=dict)


def _write_part(name: str, data: bytes) -> None:
    """Store a rendered part, removing the proposal's earlier versions. The storage makes
    it visible whole (ops.storage locally, S3 by nature); when another worker stored the
    same part meanwhile, its copy is kept."""
    storage = part_storage()
    for old in cached_files(name.rsplit("/", 1)[0]):  # earlier versions of this proposal
        if old != name:
            storage.delete(old)
    if not storage.exists(name):
        storage.save(name, ContentFile(data))


# A render worker is replaced by a fresh one (forked from the forkserver, WeasyPrint
# already imported) after this many parts: WeasyPrint's caches (fonts, shaped text,
# hyphenation) and the heap's fragments grow with the parts a process lays out. Measured
# (benchmarks/annex.py, 2 workers): a worker's peak 105-111 MB over 100 parts each
# without recycling, ~85 MB with 25 parts a worker and the heap trimmed after each part;
# a fresh worker costs ~0.15 s CPU (fonts loaded again on its first part), under 1 % of
# its 20 parts.
PARTS_PER_WORKER = 20


def _pool_context():
    # forkserver: workers start from a clean interpreter (no inherited threads or
    # database connections) and only import annex.weasy.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["annex.weasy"])
    return context


def render_pool(workers: int) -> concurrent.futures.ProcessPoolExecutor:
    """The pool of `workers` render processes of a cold render (forkserver, each worker
    started by `start_worker` and replaced after PARTS_PER_WORKER parts)."""
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_pool_context(),
        initializer=start_worker,
        max_tasks_per_child=PARTS_PER_WORKER,
    )


def ensure_parts(
    items: Iterable[tuple[Proposal, engine.Figures]],
    reference: Reference,
    *,
    workers: int = 2,
    progress: Progress | None = None,
    stats: RenderStats | None = None,
    total: int | None = None,
) -> list[tuple[str, int]]:
    """The cached part (name in the parts storage, pages) of every proposal, in the order
    of `items`, rendering those that are missing or stale.

    `items` is consumed once, in order (a list, or a stream such as `stream_proposals`
    gives). A missing part's HTML is made just before a worker can take it: at most
    `2 × workers` parts wait at a time, so memory does not grow with the number of
    proposals. From the third missing part on, parts are rendered by a pool of
    `workers` processes (both cores); one or two missing parts are rendered here,
    without starting a pool."""
    stats = stats if stats is not None else RenderStats()
    if total is None and isinstance(items, list | tuple):
        total = len(items)
    total = total or 0
    parts: list[tuple[str, int] | None] = []
    done = 0
    waiting: list[tuple[int, Proposal, str]] = []  # missing parts before the pool starts
    pending: dict[concurrent.futures.Future, tuple[int, Proposal]] = {}

    def store(i: int, proposal: Proposal, data: bytes, pages: int) -> None:
        nonlocal done
        name = part_name(proposal, pages)
        _write_part(name, data)
        parts[i] = (name, pages)
        stats.rendered += 1
        done += 1
        if progress:
            progress(done, total, proposal.number)

    def drain(limit: int) -> None:
        while len(pending) > limit:
            finished, _ = concurrent.futures.wait(
                pending, return_when=concurrent.futures.FIRST_COMPLETED
            )
            for future in finished:
                i, proposal = pending.pop(future)
                store(i, proposal, *future.result())

    with contextlib.ExitStack() as stack:
        pool = None
        for i, (proposal, figures) in enumerate(items):
            found = cached_part(proposal)
            parts.append(found)
            if found is not None:
                stats.cached += 1
                done += 1
                if progress:
                    progress(done, total, "cache")
                continue
            waiting.append((i, proposal, part_html(proposal, figures, reference)))
            if pool is None and workers > 1 and len(waiting) > 2:
                pool = stack.enter_context(render_pool(workers))
            if pool is not None:
                for j, waiting_proposal, html in waiting:
                    pending[pool.submit(render_part, html)] = (j, waiting_proposal)
                waiting.clear()
                drain(2 * workers)
        for i, proposal, html in waiting:
            store(i, proposal, *html_to_pdf_counted(html))
        drain(0)
    return [part for part in parts if part is not None]


def _front_render(catalog: Catalog, kind: str, html: str) -> tuple[bytes, int]:
    """One document of the front matter ("front": cover, introduction and overview;
    "contents"), as PDF bytes and pages, from the cache when the same HTML was laid out
    before (its hash names the file); the catalogue keeps its six newest renderings."""
    storage = part_storage()
    folder = f"{FRONT}/{catalog.pk}"
    cached = cached_files(folder)
    digest = hashlib.sha256((render_fingerprint() + html).encode()).hexdigest()[:24]
    prefix = f"{folder}/{kind}-{digest}-p"
    hit = next((name for name in cached if name.startswith(prefix)), None)
    if hit is not None:
        with storage.open(hit, "rb") as file:
            return file.read(), cached[hit]
    data, pages = html_to_pdf_counted(html)
    gc.collect()  # the laid-out document's boxes refer to each other: free them now
    for old in sorted(cached, key=storage.get_modified_time)[:-5]:
        storage.delete(old)
    name = f"{prefix}{pages}.pdf"
    if not storage.exists(name):
        storage.save(name, ContentFile(data))
    return data, pages


def _last_contents_pages(catalog: Catalog) -> int:
    """The length of the catalogue's contents when it was last laid out (1 if never)."""
    storage = part_storage()
    cached = {
        name: pages
        for name, pages in cached_files(f"{FRONT}/{catalog.pk}").items()
        if name.rsplit("/", 1)[-1].startswith("contents-")
    }
    if not cached:
        return 1
    return cached[max(cached, key=storage.get_modified_time)]


def front_matter_pdf(
    catalog: Catalog,
    items: list[printing.Listed],
    part_pages: list[int],
    statuses: list[str],
    price_level: PriceLevelChoice | None = None,
) -> bytes:
    """Cover, overview table and contents, as one PDF.

    Two documents, laid out apart so that a large catalogue never has its whole front
    matter laid out at once (WeasyPrint holds a few megabytes per page until it is
    written): the cover and overview (`annex/front.html`), laid out once, and the
    contents (`annex/contents.html`), whose page numbers depend on the front matter's
    own length, so it is laid out until its length is stable, starting from the length
    it had last time. Renderings are cached by the hash of their HTML: an unchanged
    overview and contents are not laid out again."""
    with translation.override(PRINT_LANGUAGE):
        status_labels = dict(Proposal._meta.get_field("status").choices)
        context = {
            "catalog": catalog,
            "header": printing.running_header(catalog),
            "overview": printing.overview(
                catalog,
                items,
                price_level.indexes if price_level is not None else None,
                price_level.year if price_level is not None else None,
            ),
            "count": len(items),
            "price_levels": ", ".join(
                sorted({str(item.price_level_year) for item in items})
                or [str(catalog.budget_year)]
            ),
            # printed in another p/l: the proposals' own levels it was converted from
            "converted_from": ", ".join(
                str(y) for y in sorted({item.converted_from for item in items} - {None})
            ),
            "statuses": ", ".join(str(status_labels.get(s, s)) for s in statuses),
            # by which index anlæg amounts were converted (docs/APPRAISAL.md)
            "capital_note": capital_note(
                {item.own_amounts[0] for item in items}, price_level.year, price_level
            )
            if price_level is not None and price_level.year is not None and items
            else "",
        }
        front, front_pages = _front_render(
            catalog, "front", render_to_string("annex/front.html", context)
        )
    context = {"catalog": catalog, "header": context["header"]}
    contents_pages = _last_contents_pages(catalog)
    contents = b""
    for _ in range(4):
        page = front_pages + contents_pages + 1
        toc = []
        for item, count in zip(items, part_pages, strict=True):
            toc.append({"number": item.number, "title": item.title, "page": page})
            page += count
        with translation.override(PRINT_LANGUAGE):
            html = render_to_string("annex/contents.html", {**context, "toc": toc})
        contents, pages = _front_render(catalog, "contents", html)
        if pages == contents_pages:
            break
        contents_pages = pages
    with (
        pikepdf.open(io.BytesIO(front)) as pdf,
        pikepdf.open(io.BytesIO(contents)) as rest,
    ):
        pdf.pages.extend(rest.pages)
        output = io.BytesIO()
        pdf.save(output)
    return output.getvalue()


@contextlib.contextmanager
def opened_part(name: str) -> Iterator[pikepdf.Pdf]:
    """A cached part opened by pikepdf (`open_cached`), closed on leaving."""
    with contextlib.ExitStack() as stack:
        yield open_cached(stack, name)


def assemble(
    front: bytes | None,
    parts: list[tuple[str, str]],
    output,
    *,
    title: str,
) -> int:
    """Front matter + parts (names in the parts storage, labels) into one PDF with
    bookmarks and "side X af Y"; returns pages.

    The parts are stamped one at a time and joined on disk (`annex.assembly.join`), so
    memory does not grow with the number of parts; a part's page count is read from its
    name (`cached_files`), so no part is opened twice."""
    pieces = []
    if front is not None:
        with pikepdf.open(io.BytesIO(front)) as pdf:
            front_pages = len(pdf.pages)
        pieces.append(
            Piece(lambda: pikepdf.open(io.BytesIO(front)), front_pages, cover=True)
        )
    for name, label in parts:
        pages = int(PAGES.fullmatch(name.rsplit("/", 1)[-1])["pages"])
        pieces.append(Piece(functools.partial(opened_part, name), pages, label))
    return join(pieces, output, title=title)


def figures_of(proposals: list[Proposal]) -> list[tuple[Proposal, engine.Figures]]:
    return [(p, figures_for(p)) for p in proposals]


def render_catalog_annex(
    catalog: Catalog,
    output,
    *,
    statuses: Iterable[str] | None = None,
    workers: int = 2,
    progress: Progress | None = None,
    user=None,
    price_level: PriceLevelChoice | None = None,
) -> RenderStats:
    """The catalogue's annex as one PDF written to `output` (path or binary file); with
    `user`, only the proposals that user may read. ``price_level`` (a choice with a
    year): every proposal printed in that p/l (`stream_figures`), the front matter
    saying so; raises ``finance.prices.PriceLevelError`` when a proposal's own year has
    no index (`check_price_level` tells it before a job starts)."""
    started = time.perf_counter()
    statuses = [s for s in statuses or [] if s]
    reference = Reference.load()
    stats = RenderStats()
    # the proposals stream past the part renderer; what the front matter needs of them
    # (number, title, committee, overview figures) is kept, their inputs and full
    # figures are not
    items: list[printing.Listed] = []

    def kept(stream):
        for proposal, figures in stream:
            items.append(printing.Listed.of(proposal, figures))
            yield proposal, figures

    selected = stream_proposals(catalog, statuses, user=user, chunk=RENDER_CHUNK)
    parts = ensure_parts(
        kept(stream_figures(selected, price_level)),
        reference,
        workers=workers,
        progress=progress,
        stats=stats,
        total=selection(catalog, statuses, user=user).count(),
    )
    part_pages = [pages for _path, pages in parts]
    front = front_matter_pdf(catalog, items, part_pages, statuses, price_level)
    stats.pages = assemble(
        front,
        [
            (name, f"{item.number} {item.title}")
            for (name, _pages), item in zip(parts, items, strict=True)
        ],
        output,
        title=printing.running_header(catalog),
    )
    stats.part_pages = {item.pk: n for item, n in zip(items, part_pages, strict=True)}
    stats.seconds = time.perf_counter() - started
    return stats


def render_proposal_pdf(
    proposal: Proposal, output, price_level: PriceLevelChoice | None = None
) -> RenderStats:
    """One proposal's form as a PDF (from the cache when it is current); with
    ``price_level``, in that p/l (`stream_figures`)."""
    started = time.perf_counter()
    items = list(stream_figures([proposal], price_level))
    stats = RenderStats()
    [(name, _pages)] = ensure_parts(items, Reference.load(), workers=1, stats=stats)
    stats.pages = assemble(
        None,
        [(name, f"{proposal.number} {proposal.title}")],
        output,
        title=f"{proposal.number} {proposal.title}",
    )
    stats.seconds = time.perf_counter() - started
    return stats


def followup_report_html(catalog: Catalog, report: dict) -> str:
    """The follow-up report as a print document (followup's fragment inside the annex's
    page frame: A4, running header)."""
    with translation.override(PRINT_LANGUAGE):
        return render_to_string(
            "annex/followup_report.html",
            {
                "catalog": catalog,
                "header": printing.running_header(catalog),
                "report": report,
                "on": today(),
            },
        )


def render_followup_report(catalog: Catalog, user=None, *, report: dict | None = None) -> bytes:
    """The catalogue's "Opfølgningsrapport" as PDF bytes, pages numbered "side X af Y".
    With `user`, only the plans that user may read (`followup.report.catalogue_report`);
    without, every adopted proposal (the printed annex, the management command)."""
    report = catalogue_report(catalog, user) if report is None else report
    data = html_to_pdf_counted(followup_report_html(catalog, report))[0]
    output = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        stamp_page_numbers(pdf, skip_first=False)
        pdf.docinfo[Name.Title] = f"Opfølgningsrapport: {printing.running_header(catalog)}"
        pdf.docinfo[Name.Creator] = "Bilag"
        pdf.save(output)
    return output.getvalue()
