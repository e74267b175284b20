"""The documents themselves: what each one says, in what order, drawn with `eha.pdf.layout`.

Every piece of text from a person (names, answers, file names) goes through `para`/`field`/
`table`, which escape it, so nothing typed is ever read as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer

from eha.assessment import SECTION_TITLES, Section
from eha.background import Child, FamilyBackground, Professional
from eha.consent import current_decisions, current_position, describe
from eha.documents import DocumentKind, DocumentSource
from eha.pdf.layout import Frame, england_time, heading, page_count, picture, render, table
from eha.pdf.star import TABLE_NOTE, star_drawing, star_rows
from eha.pdf.text import field, para
from eha.plan import Plan, PlanAction
from eha.taf import SavedMeeting, TafMeeting
from eha.views import child_view_text
from star import StarReading
from star.config import default_star_text
from star.progress import choose_default_readings, progress
from star.reading import Occasion, OccasionKind

Story = list[Flowable]


def render_document(source: DocumentSource) -> bytes:
    """The PDF of one document."""
    frame = Frame(
        title=source.title,
        reference=source.assessment.reference,
        generated_at=source.generated_at,
        generated_by=source.generated_by,
        draft=source.draft,
    )
    return render(frame, _BUILDERS[source.kind](source))


# -- the front page, common to all ---------------------------------------------------------


def _day(d: date | None) -> str:
    return f"{d:%-d %B %Y}" if d else ""


def front_page(source: DocumentSource, *, about: str = "") -> Story:
    a = source.assessment
    story: Story = [para(source.title, "title")]
    if about:
        story.append(para(about, "h2"))
    story += [
        *field("Family reference", a.reference),
        *field("Prepared for", source.made_for),
        *field("LCSS locality", source.locality.name),
        *field("LCSS address", source.locality.address),
        *field("Assessment written by", source.author),
        *field("Lead professional", source.lead),
        *field("Status", a.status.label + ("" if a.status.value != "draft" else " — not completed")),
        *field("Assessment started", _day(a.started_on)),
        *field("Completed", _day(a.completed_at.date()) if a.completed_at else ""),
        *field("Review date", a.review if a.review_date else ""),
        *field("Generated", f"{england_time(source.generated_at)} by {source.generated_by}"),
    ]
    if source.views_left_out:
        story += field(
            "Left out of this copy",
            f"{source.views_left_out} professional view(s) the family have not agreed this recipient may see.",
        )
    story.append(PageBreak())
    return story


# -- the sections --------------------------------------------------------------------------

Row = Sequence[str | int | None]


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def titled_table(
    title: str,
    level: int,
    header: Sequence[str],
    rows: Sequence[Row],
    *,
    widths: Sequence[float],
    empty: str = "None recorded.",
) -> Story:
    """A heading and its table. The table starts under its heading when a few rows fit and
    runs on over the page, rather than moving whole to the next page with its heading and
    leaving a gap. With no rows, `empty` says so instead of a table of only its header."""
    story: Story = [CondPageBreak(3.5 * cm), *heading(title, level, keep_with_next=not rows)]
    if not rows:
        story.append(para(empty, "empty"))
        return story
    story.append(table(header, rows, widths=widths))
    return story


def background_section(source: DocumentSource) -> Story:
    a = source.assessment
    b = a.background.data
    t = a.threshold.data
    story: Story = [*heading(SECTION_TITLES[Section.BACKGROUND], 1)]
    story += field("Threshold of need", t.level.label if t.level else "")
    story += field("Same working day concerns", "; ".join(c.label for c in t.same_day_concerns) or "None")
    story += field("Address", b.address)
    story += field("Reason for the assessment", b.reason)
    story += titled_table(
        "Parents and carers",
        2,
        ["Name", "Relationship", "Date of birth", "Language", "Lives at home", "Contact"],
        [
            [
                c.name + (" (main carer)" if c.main_carer else ""),
                c.relationship,
                _day(c.date_of_birth),
                c.first_language + (" (interpreter needed)" if c.interpreter_needed else ""),
                _yes(c.lives_in_home) + (f": {c.address_if_different}" if c.address_if_different else ""),
                c.contact,
            ]
            for c in b.carers
        ],
        widths=[2.2, 1.7, 1.4, 1.4, 1.1, 2.0],
    )
    story += titled_table(
        "Children",
        2,
        ["Name", "Born or due", "Gender", "Ethnicity, religion", "Language", "School or setting"],
        [
            [
                c.name,
                _day(c.date_of_birth) if c.born else f"Due {_day(c.due_date)}",
                c.gender,
                ", ".join(x for x in (c.ethnicity, c.religion) if x),
                c.first_language + (" (interpreter needed)" if c.interpreter_needed else ""),
                c.school_or_setting + (f"; lives at {c.address_if_different}" if c.address_if_different else ""),
            ]
            for c in b.children
        ],
        widths=[2.0, 1.5, 1.1, 1.9, 1.5, 2.0],
    )
    if b.adults:
        story += titled_table(
            "Other significant adults",
            2,
            ["Name", "Relationship", "Lives at home", "Contact"],
            [[x.name, x.relationship, _yes(x.lives_in_home), x.contact] for x in b.adults],
            widths=[2.2, 1.6, 1, 3],
        )
    story += titled_table(
        "Professionals involved",
        2,
        ["Name", "Agency", "Role", "Contact"],
        [[p.name, p.agency, p.role, p.contact] for p in b.professionals],
        widths=[2, 2, 1.6, 3],
    )
    return story


def carers_section(source: DocumentSource) -> Story:
    a = source.assessment
    story: Story = [*heading(SECTION_TITLES[Section.CARERS], 1)]
    for carer in a.background.data.carers:
        story += heading(carer.name or "A parent or carer", 2)
        view = a.carers.data.for_carer(carer.id)
        if view is None:
            story.append(para("Not recorded.", "empty"))
            continue
        if view.not_given_reason and not view.own_words:
            story += field("Why their view was not given", view.not_given_reason)
            continue
        story += field("In their own words", view.own_words)
        story += field("What is going well", view.going_well)
        story += field("What they are worried about", view.worries)
        story += field("What they would like to change", view.would_like_to_change)
    return story


def star_block(readings: Sequence[StarReading], *, title: str, level: int = 2, numbers: bool = True) -> Story:
    """The chart and (with `numbers`) the same numbers as a table, kept on one page."""
    story: Story = [*heading(title, level)]
    if not readings:
        story.append(para("No Family Star Plus reading is recorded.", "empty"))
        return story
    story.append(star_drawing(readings))
    if numbers:
        header, rows = star_rows(readings)
        kept: Story = [Spacer(1, 0.3 * cm), table(header, rows, widths=[3, *([1.2] * (len(header) - 1))])]
        if len(readings) >= 2:
            kept.append(para(TABLE_NOTE, "small"))
        story.append(KeepTogether(kept))
    return story


def _readings(source: DocumentSource) -> list[StarReading]:
    return [s.reading for s in source.assessment.star_readings]


def reading_notes(readings: Sequence[StarReading]) -> Story:
    """What a reading records beside its scores: notes, and where the worker and the family
    scored an area differently."""
    text = default_star_text()
    rows: list[Row] = []
    for reading in readings:
        for score in reading.scores:
            parts = []
            if score.family_score is not None and score.worker_score is not None and score.disagree:
                parts.append(f"Family scored {score.family_score}, worker {score.worker_score}")
            if score.note:
                parts.append(score.note)
            if parts:
                rows.append([reading.label, text.label(score.area), ". ".join(parts)])
    if not rows:
        return []
    return titled_table(
        "Notes and differences of view", 2, ["Reading", "Area", "What was noted"], rows, widths=[2, 2, 5]
    )


def star_section(source: DocumentSource) -> Story:
    readings = sorted(_readings(source), key=lambda r: r.sort_key)
    story: Story = [*heading(SECTION_TITLES[Section.STAR], 1)]
    story += star_block(choose_default_readings(readings), title="The family's star: first and latest readings")
    if readings:
        story += titled_table(
            "Every reading",
            2,
            ["Reading", "Completed by", "Areas scored", "Total"],
            [
                [
                    r.label,
                    r.completed_by.label,
                    sum(1 for s in r.scores if s.agreed is not None),
                    sum(s.agreed for s in r.scores if s.agreed is not None),
                ]
                for r in readings
            ],
            widths=[3, 3, 1.2, 1],
        )
    story += reading_notes(readings)
    return story


def child_story(source: DocumentSource, child: Child, level: int = 2) -> Story:
    """A child's view as Check your answers words it (with how, when and by whom it was
    gathered), and their own work."""
    a = source.assessment
    story: Story = [*heading(child.name or "A child", level)]
    if not child.born:
        story.append(para(f"Not born yet: due {_day(child.due_date)}.", "body"))
        return story
    view = a.children.data.for_child(child.id)
    story += field("Their view" if view is None or not view.too_young else "What was observed", child_view_text(view))
    works = [(w, data) for w, data in source.work if w.child_id == child.id]
    for number, (work, data) in enumerate(works):
        if work.is_image:
            shown = picture(data, caption=work.filename, max_height=11 * cm)
        else:
            pages = page_count(data)
            count = f"{pages} page{'s' if pages != 1 else ''}" if pages is not None else "pages not known"
            shown = field("Attached PDF", f"{work.filename} ({count}), kept with the assessment")
        if number == 0:
            # The heading goes with the first piece, onto the next page if it must.
            shown = [KeepTogether([*heading(f"{child.name or 'The child'}'s own work", level + 1), *shown])]
        story += shown
    return story


def children_section(source: DocumentSource) -> Story:
    story: Story = [*heading(SECTION_TITLES[Section.CHILDREN], 1)]
    for child in source.assessment.background.data.children:
        story += child_story(source, child)
    return story


def professional_story(source: DocumentSource, professional: Professional, level: int = 2) -> Story:
    names = {m.id: m.name for m in source.assessment.background.data.members()}
    view = next((v for v in source.professional_views if v.professional_id == professional.id), None)
    title = ", ".join(x for x in (professional.name, professional.role, professional.agency) if x)
    story: Story = [*heading(title or "A professional", level)]
    if view is None:
        story.append(para("Not in this copy, or not recorded.", "empty"))
        return story
    if view.not_given_reason and not view.view:
        story += field("Why no view was given", view.not_given_reason)
    else:
        story += field("Their view", view.view)
    receivers = [names.get(r, r) for r in view.may_receive]
    if view.may_receive_others.strip():
        receivers.append(view.may_receive_others)
    story += field("The family agree it may go to", "; ".join(receivers) or "Nobody named")
    return story


def professionals_section(source: DocumentSource) -> Story:
    story: Story = [*heading(SECTION_TITLES[Section.PROFESSIONALS], 1)]
    for professional in source.assessment.background.data.professionals:
        story += professional_story(source, professional)
    return story


def plan_actions(plan: Plan, actions: Sequence[PlanAction], *, level: int, progress: dict[str, str]) -> Story:
    """The actions under the outcome each serves (each outcome said once), with their status,
    or the progress last recorded at a TAF meeting where there is one."""
    story: Story = []
    groups: list[tuple[str, list[PlanAction]]] = [
        (o.text, [x for x in actions if x.outcome_id == o.id]) for o in plan.outcomes
    ]
    known = {o.id for o in plan.outcomes}
    groups.append(("Other actions", [x for x in actions if x.outcome_id not in known]))
    for title, group in groups:
        if not group:
            continue
        story += titled_table(
            title,
            3,
            ["What", "Who", "By when", "Progress"],
            [[x.action, x.who, _day(x.by_when), progress.get(x.id, x.status.value)] for x in group],
            widths=[4, 2, 1.4, 1.4],
        )
    if not story:
        story.append(para("No actions recorded.", "empty"))
    return story


def _latest_progress(source: DocumentSource) -> dict[str, str]:
    """Each action's progress as the last finalised TAF meeting recorded it."""
    found: dict[str, str] = {}
    for saved in source.assessment.taf.meetings:
        if saved.meeting.finalised:
            found.update({r.action.id: r.progress.label for r in saved.meeting.progress})
    return found


def plan_section(source: DocumentSource) -> Story:
    plan = source.assessment.plan.data
    story: Story = [*heading(SECTION_TITLES[Section.PLAN], 1)]
    story += field("Summary and analysis", plan.analysis)
    story += heading("How will we know we've been successful?", 2)
    story += [para(f"• {o.text}") for o in plan.outcomes] or [para("No outcomes recorded.", "empty")]
    # The heading, its note and the first outcome's actions start on one page.
    story += [CondPageBreak(6 * cm), *heading("Action plan", 2)]
    if source.assessment.taf.meetings:
        story.append(
            para("The plan as the assessment set it; progress is as the latest TAF meeting recorded it.", "small")
        )
    story += plan_actions(plan, plan.actions, level=3, progress=_latest_progress(source))
    story += field("Review date", source.assessment.review)
    return story


def consent_section(source: DocumentSource) -> Story:
    a = source.assessment
    consent = a.consent.data
    background: FamilyBackground = a.background.data
    names = {m.id: m.name for m in background.members()}
    story: Story = [*heading(SECTION_TITLES[Section.CONSENT], 1)]
    positions = [p for p in current_position(consent, background) if p.decision is not None]
    story += field("Consent as it stands", "\n".join(p.line for p in positions) or "No consent decision is recorded.")
    against = [r.label for d in current_decisions(consent, background) for r in (*d.excluded, *d.must_not_see)]
    against += [d.must_not_see_text for d in current_decisions(consent, background) if d.must_not_see_text]
    if against:
        story += field("Must not see the assessment", "\n".join(against))
    story += heading("Every decision, newest first", 2)
    for decision in reversed(consent.decisions):
        wrong = consent.error_of(decision)
        who = names.get(decision.person_id, "Someone no longer in section 1")
        title = f"{who}: {describe(decision)}" + (" — entered in error" if wrong else "")
        story += heading(title, 3)
        if wrong:
            story += field("Entered in error because", wrong.reason)
        if decision.kind.agrees:
            covers = [
                "Sharing with the professionals and agencies named: " + _yes(decision.share_with_professionals).lower(),
                f"The council storing it: {_yes(decision.council_storage).lower()}",
                f"ONS evaluation: {'opted out' if decision.ons_opt_out else 'taking part'}",
            ]
            story += field("It covers", "\n".join(covers))
            named = [r.label for r in decision.recipients]
            if decision.recipients_text.strip():
                named.append(decision.recipients_text)
            story += field("It may be shared with", "\n".join(named))
            if decision.excluded:
                story += field("Not with", "\n".join(r.label for r in decision.excluded))
        if decision.signed_consent_held_by.strip():
            story += field("Signed consent held by", decision.signed_consent_held_by)
        story += field("What was explained", decision.explained)
        if decision.understanding.strip():
            story += field("The child's understanding", decision.understanding)
        confirmation = consent.confirmation_of(decision)
        if confirmation is not None:
            story += field("Confirmed at the end", _day(confirmation.confirmed_on))
        story += field("The wording they saw", f"Version {decision.wording.version} (below)")
    # Each wording once, as the family saw it: its own line breaks, in a smaller size so
    # its lines fit the page.
    seen: dict[str, str] = {}
    for decision in consent.decisions:
        seen.setdefault(decision.wording.version, decision.wording.text)
    for version, text in seen.items():
        story += heading(f"The consent wording, version {version}", 2)
        story.append(para(text, "small"))
    return story


# -- the documents -------------------------------------------------------------------------


def full_assessment(source: DocumentSource) -> Story:
    return [
        *front_page(source),
        *background_section(source),
        PageBreak(),
        *carers_section(source),
        PageBreak(),
        *star_section(source),
        PageBreak(),
        *children_section(source),
        PageBreak(),
        *professionals_section(source),
        PageBreak(),
        *plan_section(source),
        PageBreak(),
        *consent_section(source),
    ]


def childs_view(source: DocumentSource) -> Story:
    child = next(c for c in source.assessment.background.data.children if source.item and c.id == source.item.id)
    return [*front_page(source, about=child.name), *child_story(source, child, level=1)]


def professionals_view(source: DocumentSource) -> Story:
    professional = next(
        p for p in source.assessment.background.data.professionals if source.item and p.id == source.item.id
    )
    return [*front_page(source, about=professional.name), *professional_story(source, professional, level=1)]


def family_copy(source: DocumentSource) -> Story:
    """The plan and next steps in plain words, for the family to keep."""
    a = source.assessment
    taf = a.taf
    plan = a.plan.data
    story: Story = [*front_page(source)]
    story += heading("What we agreed to work on together", 1)
    story += [para(f"• {o.text}") for o in plan.outcomes] or [para("Nothing written down yet.", "empty")]
    finalised = [m for m in taf.meetings if m.meeting.finalised]
    if taf.closure is not None:
        story += heading("How it ended", 1)
        story.append(
            para(
                f"Your Team Around the Family finished on {_day(taf.closure.closed_on)}: "
                f"{(taf.closure.reason_other or taf.closure.reason.label).rstrip('.')}.",
                "body",
            )
        )
        if finalised:
            last = finalised[-1].meeting
            story += titled_table(
                "What was done",
                2,
                ["What", "Who", "How it went"],
                [[r.action.action, r.action.who, r.progress.label] for r in last.progress],
                widths=[4, 2, 2],
                empty="Nothing was recorded at the last meeting.",
            )
        story += field("Your own comments at the end", taf.closure.family_comments)
        return story
    progress = _latest_progress(source)
    story += titled_table(
        "Who will do what, and by when",
        1,
        ["What will happen", "Who will do it", "By when", "How it is going"],
        [[x.action, x.who, _day(x.by_when), progress.get(x.id, x.status.value)] for x in taf.current_plan],
        widths=[4, 2, 1.4, 1.6],
        empty="Nothing written down yet: we will agree it with you.",
    )
    story += heading("What happens next", 1)
    next_review = taf.next_review
    story += field(
        "Next time we all meet to look at how things are going",
        _day(next_review) if next_review else "A date will be agreed with you.",
    )
    story += field("Your lead professional, who you can contact", source.lead or source.author)
    story.append(
        para(
            "You can ask for anything in this plan to be changed, and you can say at any time that you no longer "
            "agree to your information being shared. Talk to your lead professional.",
            "body",
        )
    )
    return story


def _reading_for(readings: Sequence[StarReading], occasion: Occasion) -> StarReading | None:
    return next((r for r in readings if r.occasion == occasion), None)


def _first(readings: Sequence[StarReading]) -> StarReading | None:
    return next((r for r in sorted(readings, key=lambda r: r.sort_key) if r.occasion.kind is OccasionKind.FIRST), None)


def _meeting(source: DocumentSource) -> SavedMeeting:
    return next(m for m in source.assessment.taf.meetings if source.item and m.meeting_id == source.item.id)


def taf_minutes(source: DocumentSource) -> Story:
    """Short and family-friendly: the summary first, then who came, the views, the progress,
    the plan from now, the next review and the star."""
    saved = _meeting(source)
    m: TafMeeting = saved.meeting
    plan = source.assessment.taf.plan
    story: Story = [*front_page(source, about=f"Meeting {saved.number}, {_day(m.held_on)}")]
    story += heading(f"TAF meeting {saved.number}", 1)
    story += field("Held on", _day(m.held_on) + (f", {m.where}" if m.where else ""))
    story += field("Minutes", m.minutes)
    if m.closing:
        next_review = "None: the meeting agreed to close the TAF."
    else:
        next_review = _day(m.next_review_on)
        if m.next_review_reason:
            next_review += f" (later than 6 weeks because: {m.next_review_reason})"
    story += field("Next review", next_review)
    story += titled_table(
        "Who came",
        2,
        ["Name", "Agency", "Role", "Attendance"],
        [[p.name, p.agency, p.role, p.attendance.label] for p in m.participants],
        widths=[2.2, 2.2, 2, 1.6],
    )
    story += heading("Views", 2)
    story += field("The family's view", m.family_view)
    story += field("The child's view", m.child_view)
    story += field("What is working well", m.working_well)
    story += field("What we are worried about", m.worries)
    story += titled_table(
        "Progress on the plan",
        2,
        ["Action", "Who", "Progress", "Comment"],
        [[r.action.action, r.action.who, r.progress.label, r.comment] for r in m.progress],
        widths=[3, 1.6, 1.4, 3],
    )
    story += [CondPageBreak(6 * cm), *heading("The plan from now", 2)]
    if m.updated_plan:
        story += plan_actions(plan, m.updated_plan, level=3, progress={})
    else:
        story.append(para("No open actions: the TAF is closing." if m.closing else "No open actions.", "empty"))
    readings = _readings(source)
    first = _first(readings)
    review = _reading_for(readings, Occasion.review(saved.number))
    shown = [r for r in (first, review) if r is not None]
    story += star_block(shown, title="The star at this review, against the first reading")
    return story


def closure_and_evaluation(source: DocumentSource) -> Story:
    closure = source.assessment.taf.closure
    assert closure is not None  # eha.documents.unavailable refuses the document without one
    story: Story = [*front_page(source, about=f"Closed {_day(closure.closed_on)}")]
    story += heading("Closing the TAF", 1)
    story += field("Reason", closure.reason_other or closure.reason.label)
    if closure.new_area:
        consent = {True: "yes", False: "no", None: "not asked"}[closure.new_area_consent]
        story += field("Moved to", f"{closure.new_area} (consent to share with the new area: {consent})")
    story += field("Closed on", _day(closure.closed_on))
    story += field("The family's final comments", closure.family_comments)
    story += field("Evaluation", closure.evaluation)
    readings = _readings(source)
    first = _first(readings)
    final = _reading_for(readings, Occasion.closure()) or (
        sorted(readings, key=lambda r: r.sort_key)[-1] if readings else None
    )
    shown = [r for r in (first, final) if r is not None]
    if len(shown) == 2 and shown[0] is shown[1]:
        shown = shown[:1]
    # The numbers are the distance travelled table below, so the chart goes without its own.
    story += star_block(shown, title="The final star against the first", level=1, numbers=len(shown) < 2)
    if first is not None and final is not None and final is not first:
        text = default_star_text()
        change = progress(first, final)
        story += titled_table(
            "Distance travelled",
            2,
            ["Area", first.label, final.label, "Change"],
            [
                [text.label(x.area.key), x.first, x.latest, "–" if x.change is None else f"{x.change:+d}"]
                for x in change.areas
            ],
            widths=[3, 1.6, 1.6, 1],
        )
        story += field(
            "Total over the areas scored in both",
            f"{change.first_total}, then {change.latest_total} ({change.total_change:+d})",
        )
    return story


_BUILDERS: dict[DocumentKind, Callable[[DocumentSource], Story]] = {
    DocumentKind.FULL: full_assessment,
    DocumentKind.CHILD: childs_view,
    DocumentKind.PROFESSIONAL: professionals_view,
    DocumentKind.FAMILY: family_copy,
    DocumentKind.TAF: taf_minutes,
    DocumentKind.CLOSURE: closure_and_evaluation,
}
