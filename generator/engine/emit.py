"""The render job: which pages and feeds must be rendered again, and rendering them on the
worker pool (engine/outputs.py makes the rest of a site's outputs around it).

A page is rendered only when its key (the theme, the settings, the parts of `site` its template
reads, and the inputs its context is made from: PagePlan.inputs) differs from the last build's,
or its file is missing; the rest is left untouched. What must be rendered is spread over worker
processes that inherit the whole site through fork and write straight into the staging folder."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import jinja2

from ..core.diagnostics import Diagnostic, Level
from ..core.fingerprint import Fingerprinter, digest
from ..core.model import Article
from ..plan.inputs import PagePlan
from ..read.config import SiteConfig
from ..render.feeds import FeedCache, FeedSpec, feed_files
from ..render.templates import TemplateProblem, render_page
from ..write.output import stage_file
from .pagekeys import PageInputs, context_key, page_key, same_inputs
from .process import STATE
from .tasks import Failed, run_serially
from .testhooks import crash, parallel_min, pause

PARALLEL_MIN = 64
Progress = Callable[[str, int, int], None]
Task = tuple[str, int]  # ("page", index in plans) or ("feed", index in specs)


def template_id(lang: str, template: str) -> str:
    """A template as rendered in one language's environment ("" in a one-language site)."""
    return f"{lang}:{template}" if lang else template


@dataclass
class RenderJob:
    """Everything rendering needs, set before the workers fork."""

    env: jinja2.Environment  # the default language's
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
    previous: dict[str, str]  # URL -> key in the last build into this folder
    # only bodies changed since the last build (its cards key and templates match): a page
    # whose template reads no changed body keeps its last key without computing it
    bodies_only: bool = False
    old_bodies: dict[str, str] = field(default_factory=dict)  # article path -> fp, last build
    # a warm build where only bodies changed: the only tasks whose keys may differ from the last
    # build's (engine/readers.py); every other task's outputs are there, with their keys
    candidates: frozenset[Task] | None = None
    # DIGEST_VERIFY_SCOPES=1 (the tests): each page's whole context is fingerprinted too, and
    # a page whose key decides otherwise than that fingerprint is an internal error
    verify: bool = False
    contexts: dict[str, str] = field(default_factory=dict)  # URL -> its context's key, verifying
    old_contexts: dict[str, str] = field(default_factory=dict)  # the same, last build
    known: dict[Task, str] = field(default_factory=dict)  # keys computed before forking
    fingerprinted: int = 0  # pages whose key is computed
    outputs: dict[Task, list[tuple[str, str]]] = field(default_factory=dict)  # (URL, file)s
    feeds: FeedCache | None = None  # set with the job: bodies and entries shared by the feeds
    memory: dict[str, bytes] | None = None  # check: every output file's bytes
    templates: dict[str, str] = field(default_factory=dict)  # template -> its key, for the record
    # made in each process when first needed: [with bodies, cards only]; a warm build's are
    # the last build's (WarmState.fingerprinters)
    fingerprinters: list[Fingerprinter] = field(default_factory=list)
    # the same, new in every build: the long way round that verifying takes (`_context_key`)
    # owes nothing to what the last build worked out
    checking: list[Fingerprinter] = field(default_factory=list)
    # a warm build: each page's template, inputs, versions and key in the last build
    # (WarmState.inputs), and the same of this build's pages whose keys it works out (None: not
    # kept, as nothing will take them)
    last_inputs: dict[str, PageInputs] = field(default_factory=dict)
    inputs: dict[str, PageInputs] | None = None
    # multilingual sites: each language's environment and settings ("" in a one-language site)
    envs: dict[str, jinja2.Environment] = field(default_factory=dict)
    configs: dict[str, SiteConfig] = field(default_factory=dict)
    # `digest serve`: the output files of the open pages, rendered first, and what is handed
    # those that changed as soon as they are staged (engine/warm.py WarmState.first)
    first: frozenset[str] = frozenset()
    early: Callable[[dict[str, bytes]], None] | None = None


STAGED, SAME = 1, 2
KEPT_ALL = "kept"  # a task's result when all its outputs stay as they are
Outcome = list[tuple[str, str, str, int]]  # rendered: (url, rel, fingerprint, STAGED/SAME)
Result = Outcome | Diagnostic | str | Failed


def _fingerprinters(checking: bool = False) -> list[Fingerprinter]:
    job = current_job()
    made = job.checking if checking else job.fingerprinters
    if not made:
        made[:] = [Fingerprinter(), Fingerprinter(bodies=False)]
    return made


def current_job() -> RenderJob:
    job = STATE.job
    assert isinstance(job, RenderJob)
    return job


def _key(job: RenderJob, task: Task) -> str:
    """What one page (or one list's three feeds) is made of."""
    known = job.known.get(task)
    if known is not None:
        return known
    kind, index = task
    if kind == "page":
        return _page_key(job, job.plans[index])
    spec = job.specs[index]
    items = spec.articles[: job.config.feed_items]
    lang = (spec.lang,) if spec.lang else ()
    return digest(job.feed_key, *lang, spec.title, spec.description, spec.page_url, *(a.fp for a in items))


def _page_key(job: RenderJob, plan: PagePlan) -> str:
    template = template_id(plan.lang, plan.template)
    full, cards = job.fingerprinters or _fingerprinters()
    return page_key(plan, job.env_keys[template], job.bodies[template], full, cards)


def _context_key(job: RenderJob, plan: PagePlan) -> str:
    """The long way, for verifying `_page_key`: every value of the page's context."""
    full, cards = _fingerprinters(checking=True)
    template = template_id(plan.lang, plan.template)
    return context_key(plan, job.env_keys[template], job.bodies[template], full, cards)


def _planned_key(job: RenderJob, plan: PagePlan) -> str:
    """The page's key, worked out before forking: the last build's where it cannot have
    changed (`_bodies_unchanged`, `_same_inputs`), else computed."""
    previous = job.previous.get(plan.url)
    # only serve's builds (job.inputs) compare and keep the pages' templates and inputs
    template = job.templates[template_id(plan.lang, plan.template)] if job.inputs is not None else ""
    if previous is not None and (
        (job.bodies_only and _bodies_unchanged(job, plan)) or _same_inputs(job, plan, template, previous)
    ):
        key = previous
    else:
        key = _page_key(job, plan)
        job.fingerprinted += 1
    if job.inputs is not None:
        job.inputs[plan.url] = (template, plan.inputs, plan.alternates, key)
    if job.verify:
        _verify(job, plan, key)
    return key


def _same_inputs(job: RenderJob, plan: PagePlan, template: str, previous: str) -> bool:
    """A warm build: the page has the same template and versions as in the last build, and
    its inputs are the very objects it had (pagekeys.same_inputs), so its key is the last."""
    last = job.last_inputs.get(plan.url)
    if last is None:
        return False
    last_template, inputs, alternates, key = last
    if key != previous or last_template != template or alternates != plan.alternates:
        return False
    return same_inputs(plan.inputs, inputs)


def _verify(job: RenderJob, plan: PagePlan, key: str) -> None:
    """The page's key must be what `_page_key` computes, and it must equal the last build's
    exactly when the whole context's fingerprint does: else an input is missing (the page
    would be kept stale) or something not in the context is (it would be rendered for
    nothing)."""
    name = f"{plan.url} ({plan.template})"
    if _page_key(job, plan) != key:
        raise RuntimeError(f"{name}: its key was kept, but its inputs changed")
    context = job.contexts[plan.url] = _context_key(job, plan)
    previous, old = job.previous.get(plan.url), job.old_contexts.get(plan.url)
    if previous is None or old is None or (key == previous) == (context == old):
        return
    if key == previous:
        raise RuntimeError(f"{name} changed, but its key was kept: an input is missing from its plan")
    raise RuntimeError(f"{name}: its key changed, but its context did not")


def _bodies_unchanged(job: RenderJob, plan: PagePlan) -> bool:
    """Only bodies changed since the last build (`job.bodies_only`), and none that the page's
    template reads."""
    bodies = job.bodies[template_id(plan.lang, plan.template)]
    if "*" in bodies:
        return False
    for name in bodies:
        # an article page's own article is its context's "article" (PagePlan.context checks it):
        # read without making the context (2,000 contexts at 2,000 articles)
        value = plan.article if name == "article" and plan.article is not None else plan.context.get(name)
        if value is None:
            continue
        if type(value) is not Article or job.old_bodies.get(value.path) != value.fp:
            return False
    return True


def _kept(job: RenderJob, task: Task, key: str) -> bool:
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
    outputs = _render(job, task)
    return outputs if isinstance(outputs, Diagnostic) else _stage(job, task, key, outputs)


def _render(job: RenderJob, task: Task) -> dict[str, bytes] | Diagnostic:
    """One page's, or one list's feeds', bytes by URL."""
    kind, index = task
    crash("render", job.outputs[task][0][0])
    try:
        if kind == "page":
            plan = job.plans[index]
            return {plan.url: render_page(job.envs.get(plan.lang) or job.env, plan)}
        assert job.feeds is not None
        spec = job.specs[index]
        return feed_files(spec, job.configs.get(spec.lang) or job.config, job.feeds)
    except TemplateProblem as exc:
        return exc.diagnostic


def _stage(job: RenderJob, task: Task, key: str, outputs: dict[str, bytes]) -> Outcome:
    """A task's outputs into the staging folder (or `memory`), each STAGED or the SAME bytes as
    the file there."""
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


def run_all(tasks: list[Task], jobs: int, progress: Progress | None) -> list[Result]:
    """After a build into this folder, every page's key is worked out here, before forking,
    and what it shows unchanged is kept; workers render the rest. After none, workers compute
    the keys and render everything."""
    job = current_job()
    if job.clean or not job.previous:
        job.fingerprinted = len(job.plans)
        # the contexts' keys are for verifying the next build: worked out while workers finish
        return execute(tasks, jobs, progress, lambda: _verify_all(job))
    results: list[Result | None] = []
    todo: list[Task] = []
    candidates = job.candidates
    first = _render_first(job) if job.first and job.early is not None else {}
    for task in tasks:
        done = first.get(task)
        if done is not None:
            results.append(done)
            continue
        if candidates is not None and task not in candidates:
            if job.verify:
                _verify_kept(job, task)
            results.append(KEPT_ALL)
            continue
        key = _key(job, task) if task[0] == "feed" else _planned_key(job, job.plans[task[1]])
        if _kept(job, task, key):
            results.append(KEPT_ALL)
            continue
        job.known[task] = key
        todo.append(task)
        results.append(None)
    rendered = iter(execute(todo, jobs, progress))
    return [result if result is not None else next(rendered) for result in results]


def _render_first(job: RenderJob) -> dict[Task, Result]:
    """`digest serve`: the pages open in a browser (job.first), keyed, rendered and staged
    before any other; those that changed go to job.early with their bytes at once, so that the
    browser shows them while the rest is worked out (the server serves nothing else of this
    build before it is whole). Tasks the candidates leave out cannot have changed."""
    done: dict[Task, Result] = {}
    shown: dict[str, bytes] = {}
    first = job.first
    for task, pairs in job.outputs.items():
        if task[0] != "page" or pairs[0][1] not in first:  # a page has one output
            continue
        if job.candidates is not None and task not in job.candidates:
            continue
        key = _planned_key(job, job.plans[task[1]])
        if _kept(job, task, key):
            done[task] = KEPT_ALL
            continue
        job.known[task] = key
        outputs = _render(job, task)
        if isinstance(outputs, Diagnostic):
            done[task] = outputs
            continue
        staged = done[task] = _stage(job, task, key, outputs)
        shown.update((rel, outputs[url]) for url, rel, _, how in staged if how == STAGED)
    if shown and job.early is not None:
        job.early(shown)
        pause("early")
    return done


def _verify_kept(job: RenderJob, task: Task) -> None:
    """A task the readers' index left out (DIGEST_VERIFY_SCOPES=1): its key, worked out the
    long way, must be the last build's."""
    kind, index = task
    key = _key(job, task) if kind == "feed" else _planned_key(job, job.plans[index])
    if not _kept(job, task, key):
        url = job.outputs[task][0][0]
        raise RuntimeError(f"{url}: left out as reading no changed body or card, but its key changed")


def _verify_all(job: RenderJob) -> None:
    if job.verify:
        for plan in job.plans:
            job.contexts[plan.url] = _context_key(job, plan)


def execute(
    tasks: list[Task], jobs: int, progress: Progress | None, meanwhile: Callable[[], None] = lambda: None
) -> list[Result]:
    """Each task's result, in order. `meanwhile` runs in the parent once its own share is done,
    while workers finish theirs."""
    serial = jobs <= 1 or len(tasks) < parallel_min(PARALLEL_MIN) or sys.platform == "win32"
    told = None if progress is None else lambda n: progress("rendering", n, len(tasks))
    if serial:  # a few pages: not even the worker pool (multiprocessing) is imported
        return run_serially(tasks, _run, progress=told, meanwhile=meanwhile)
    from .workers import run_tasks

    # the pages' contexts (made when first read: plan/inputs.py) are made here, once, before
    # forking: the whole-site outputs read every page's in this process afterwards
    plans = current_job().plans
    for kind, index in tasks:
        if kind == "page":
            plans[index].context  # noqa: B018
    # the parent renders every jobs-th chunk itself, beside jobs - 1 workers: each worker
    # holds its own copy of every page of the site it touches, the parent holds one anyway
    return run_tasks(
        tasks,
        _run,
        workers=jobs - 1,
        chunk_size=max(8, len(tasks) // (jobs * 16)),
        parent_every=jobs,
        progress=told,
        meanwhile=meanwhile,
    )


def crashed(job: RenderJob, task: Task, failure: Failed, root: Path) -> Diagnostic:
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
    return Diagnostic(shown_path(job.out_dir / rel, root), 0, Level.ERROR, message)


def shown_path(path: Path, root: Path) -> str:
    """A path as messages show it: from the site folder when it is inside."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
