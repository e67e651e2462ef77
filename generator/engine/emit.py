"""Render and write: pages through the theme, feeds, sitemap, robots.txt and theme assets.

A page is rendered only when its fingerprint (theme, settings, the site-wide summaries and
everything in its own context) differs from the last build's, or its file is missing; the rest
is left untouched. What must be rendered is spread over worker processes that inherit the
whole site through fork and write straight into the staging folder."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import jinja2

from ..core.diagnostics import Diagnostic, Level
from ..core.fingerprint import Fingerprinter, digest
from ..core.model import Article
from ..plan.pages import PagePlan
from ..read.config import SiteConfig
from ..render.feeds import FeedCache, FeedSpec, feed_files
from ..render.templates import TemplateProblem, render_page
from ..write.output import stage_file
from .process import STATE
from .testhooks import crash, parallel_min
from .workers import Failed, run_tasks

PARALLEL_MIN = 64
FEED_NAMES = ("feed.xml", "rss.xml", "feed.json")
Progress = Callable[[str, int, int], None]
Task = tuple[str, int]  # ("page", index in plans) or ("feed", index in specs)


@dataclass
class _Job:
    env: jinja2.Environment
    plans: list[PagePlan]
    specs: list[FeedSpec]
    config: SiteConfig
    staging: Path | None  # None: outputs are kept in `memory` (check), rendered here, serially
    out_dir: Path
    existing: frozenset[str]
    clean: bool
    env_keys: dict[str, str]  # template -> theme, settings and the parts of `site` it reads
    bodies: dict[str, frozenset[str]]  # template -> context names it reads bodies through
    feed_key: str  # settings: shared by every feed
    previous: dict[str, str]  # URL -> fingerprint in the last build into this folder
    # only bodies changed since the last build (its cards key and templates match): a page
    # whose template reads no changed body keeps its last fingerprint without computing it
    bodies_only: bool = False
    old_bodies: dict[str, str] = field(default_factory=dict)  # article path -> fp, last build
    # the templates' keys and body reads are the last build's: a page whose scope (PagePlan)
    # has the same key as then keeps its last fingerprint without computing it
    same_templates: bool = False
    scopes: dict[str, str] = field(default_factory=dict)  # URL -> key of its plan's scope
    old_scopes: dict[str, str] = field(default_factory=dict)  # the same, last build
    # DIGEST_VERIFY_SCOPES=1 (the tests): every fingerprint kept without computing it is
    # computed all the same, and a difference is an internal error
    verify: bool = False
    known: dict[Task, str] = field(default_factory=dict)  # keys computed before forking
    fingerprinted: int = 0  # pages whose whole context is fingerprinted
    outputs: dict[Task, list[tuple[str, str]]] = field(default_factory=dict)  # (URL, file)s
    feeds: FeedCache | None = None  # set with the job: bodies and entries shared by the feeds
    memory: dict[str, bytes] | None = None  # check: every output file's bytes
    templates: dict[str, str] = field(default_factory=dict)  # template -> its key, for the record
    # made in each process when first needed: [with bodies, cards only]
    fingerprinters: list[Fingerprinter] = field(default_factory=list)

STAGED, SAME = 1, 2
KEPT_ALL = "kept"  # a task's result when all its outputs stay as they are
Outcome = list[tuple[str, str, str, int]]  # rendered: (url, rel, fingerprint, STAGED/SAME)
Result = Outcome | Diagnostic | str | Failed


def _fingerprinters() -> list[Fingerprinter]:
    made = current_job().fingerprinters
    if not made:
        made[:] = [Fingerprinter(), Fingerprinter(bodies=False)]
    return made


def current_job() -> _Job:
    job = STATE.job
    assert isinstance(job, _Job)
    return job


def _key(job: _Job, task: Task) -> str:
    """What one page (or one list's three feeds) is made of."""
    known = job.known.get(task)
    if known is not None:
        return known
    kind, index = task
    if kind == "page":
        return _page_key(job, job.plans[index])
    spec = job.specs[index]
    items = spec.articles[: job.config.feed_items]
    return digest(job.feed_key, spec.title, spec.description, spec.page_url, *(a.fp for a in items))


def _page_key(job: _Job, plan: PagePlan) -> str:
    parts = _context_parts(plan, job.bodies[plan.template])
    return digest(job.env_keys[plan.template], plan.template, *parts)


def _scope_key(job: _Job, plan: PagePlan) -> str | None:
    """A key of the objects the page's context is made from: by their cards, and by their
    bodies too where the template reads bodies through a name."""
    if plan.scope is None:
        return None
    full, cards = _fingerprinters()
    bodies = job.bodies[plan.template]
    if not bodies:
        return digest(plan.template, *cards.scope(plan.scope))
    if "*" in bodies:
        return digest(plan.template, *full.scope(plan.scope))
    read = tuple(plan.context.get(name) for name in sorted(bodies))
    return digest(plan.template, *cards.scope(plan.scope), *full.scope(read))


def _reused(job: _Job, plan: PagePlan) -> str | None:
    """The last build's key of a page that cannot have changed: its scope's key is the same
    (with the same templates), or only bodies changed and none that its template reads."""
    previous = job.previous.get(plan.url)
    if previous is None:
        return None
    scope = job.scopes.get(plan.url)
    same_scope = scope is not None and job.same_templates and job.old_scopes.get(plan.url) == scope
    if not (same_scope or _bodies_unchanged(job, plan)):
        return None
    if job.verify and _page_key(job, plan) != previous:
        raise RuntimeError(f"{plan.url} ({plan.template}) changed, but its fingerprint was kept")
    return previous


def _bodies_unchanged(job: _Job, plan: PagePlan) -> bool:
    """Only bodies changed since the last build, and none that the page's template reads."""
    if not job.bodies_only:
        return False
    bodies = job.bodies[plan.template]
    if "*" in bodies:
        return False
    for name in bodies:
        value = plan.context.get(name)
        if value is None:
            continue
        if type(value) is not Article or job.old_bodies.get(value.path) != value.fp:
            return False
    return True


def _kept(job: _Job, task: Task, key: str) -> bool:
    """Whether the task's outputs are all there, made with this key already."""
    if job.clean:
        return False
    previous, existing = job.previous, job.existing
    return all(previous.get(url) == key and rel in existing for url, rel in job.outputs[task])


def _run(task: Task) -> Outcome | Diagnostic | str:
    """Fingerprint one page (or one page's three feeds); render it only when that changed."""
    job = current_job()
    key = "" if job.memory is not None else _key(job, task)  # check keeps no record
    if _kept(job, task, key):
        return KEPT_ALL  # the parent knows the URLs and keys: nothing more to send back
    kind, index = task
    crash("render", job.outputs[task][0][0])
    try:
        if kind == "page":
            plan = job.plans[index]
            outputs = {plan.url: render_page(job.env, plan)}
        else:
            assert job.feeds is not None
            outputs = feed_files(job.specs[index], job.config, job.feeds)
    except TemplateProblem as exc:
        return exc.diagnostic
    done = []
    for url, rel in job.outputs[task]:
        data = outputs[url]
        if job.staging is None:
            assert job.memory is not None
            job.memory[rel] = data
            done.append((url, rel, key, STAGED))
            continue
        compare = rel in job.existing and not job.clean
        staged = stage_file(job.staging, job.out_dir, rel, data, compare)
        done.append((url, rel, key, STAGED if staged else SAME))
    return done


def _scope_all(job: _Job, plans: Sequence[PagePlan]) -> None:
    for plan in plans:
        key = _scope_key(job, plan)
        if key is not None:
            job.scopes[plan.url] = key


def _run_all(tasks: list[Task], jobs: int, progress: Progress | None) -> list[Result]:
    """After a build into this folder, what cannot have changed is found here, before forking
    and without fingerprinting it (`_reused`); workers fingerprint the rest and render what
    changed. After none, workers fingerprint and render everything."""
    job = current_job()
    if job.clean or not job.previous:
        job.fingerprinted = len(job.plans)
        # scopes are for the next build: worked out while workers finish
        return _execute(tasks, jobs, progress, lambda: _scope_all(job, job.plans))
    if not job.bodies_only:
        _scope_all(job, job.plans)
    results: list[Result | None] = []
    todo: list[Task] = []
    for task in tasks:
        key = _key(job, task) if task[0] == "feed" else _reused(job, job.plans[task[1]])
        if key is not None and _kept(job, task, key):
            results.append(KEPT_ALL)
            continue
        if key is not None:
            job.known[task] = key
        todo.append(task)
        results.append(None)
    if job.bodies_only:
        # only bodies changed: the scope of a page that reads none of them is the same
        changed = [job.plans[i] for kind, i in todo if kind == "page"]
        _scope_all(job, changed)
        for plan in job.plans:
            if plan.url not in job.scopes and plan.url in job.old_scopes:
                job.scopes[plan.url] = job.old_scopes[plan.url]
                if job.verify and job.scopes[plan.url] != _scope_key(job, plan):
                    raise RuntimeError(f"{plan.url} ({plan.template}): its scope changed with bodies only")
    job.fingerprinted = sum(1 for task in todo if task[0] == "page" and task not in job.known)
    rendered = iter(_execute(todo, jobs, progress))
    return [result if result is not None else next(rendered) for result in results]


def _context_parts(plan: PagePlan, bodies: frozenset[str]) -> list[str]:
    """What the page is made of: each context value, its articles by their whole fingerprint
    where the template reads bodies through that name, else by their cards."""
    full, cards = _fingerprinters()
    everything = "*" in bodies
    parts = []
    for name in sorted(plan.context):
        value = plan.context[name]
        parts += [name, (full if everything or name in bodies else cards).top(value)]
    return parts


def _execute(
    tasks: list[Task], jobs: int, progress: Progress | None, meanwhile: Callable[[], None] = lambda: None
) -> list[Result]:
    """Each task's result, in order. `meanwhile` runs in the parent once its own share is done,
    while workers finish theirs."""
    serial = jobs <= 1 or len(tasks) < parallel_min(PARALLEL_MIN) or sys.platform == "win32"
    # the parent renders every jobs-th chunk itself, beside jobs - 1 workers: each worker
    # holds its own copy of every page of the site it touches, the parent holds one anyway
    return run_tasks(
        tasks,
        _run,
        workers=0 if serial else jobs - 1,
        chunk_size=max(8, len(tasks) // (jobs * 16)),
        parent_every=jobs,
        progress=None if progress is None else lambda n: progress("rendering", n, len(tasks)),
        meanwhile=meanwhile,
    )


def _crashed(job: _Job, task: Task, failure: Failed, root: Path) -> Diagnostic:
    """A page or feed whose rendering crashed, named by its output file."""
    (url, rel), *others = job.outputs[task]
    if task[0] == "page":
        what = f"rendering this page ({url}, template {job.plans[task[1]].template})"
    else:
        what = f"rendering this feed (and {', '.join(PurePosixPath(r).name for _, r in others)})"
    message = (
        f"{what} {failure.how}; nothing was written. Check what it shows (its articles, its "
        "template), or report the crash with them attached"
    )
    return Diagnostic(_shown(job.out_dir / rel, root), 0, Level.ERROR, message)


def _shown(path: Path, root: Path) -> str:
    """A path as messages show it: from the site folder when it is inside."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
