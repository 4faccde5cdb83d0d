"""The words of "what changed since the previous edition": the box on the summary page, the
``kzbrief changes`` listing and the covering e-mail. Part of the words catalogue
(words.MESSAGES), kept apart as chart_words.py is; data/changes.py fills them in."""

from __future__ import annotations

from .current import N_

CHANGE_MESSAGES: dict[str, str] = {
    # the box's heading, and what is said when nothing changed
    "changes_since": N_("Changes since the edition of {date} ({edition})"),
    "no_changes": N_("No changes since the edition of {date} ({edition})."),
    "changes_more": N_("\u2026and {count} more"),
    # the press edition's short form: the heading, then the first changes in one sentence
    "changes_short": N_("{heading}: {changes}."),
    # one line a change: a value that changed, and a text that was rewritten
    "change_value": N_("{label}: {old} \u2192 {new}"),
    "change_field": N_("Changed in the data: {key}"),
    "change_section_revised": N_("Section \u2018{section}\u2019: text revised"),
    "change_section_part_revised": N_(
        "Section \u2018{section}\u2019, part \u2018{part}\u2019: text revised"
    ),
    # trade
    "change_export": N_("{year} exports"),
    "change_import": N_("{year} imports"),
    "change_turnover": N_("{year} turnover"),
    "change_year_source": N_("Source of the {year} figures"),
    "change_currency": N_("Currency of the trade figures"),
    "change_year_added": N_(
        "{year} figures added: turnover {turnover}, exports {export}, imports {import_}"
    ),
    "change_year_removed": N_("{year} figures removed"),
    # diplomacy
    "change_milestone_added": N_("Milestone added: {date}, {event}"),
    "change_milestone_removed": N_("Milestone removed: {date}, {event}"),
    "change_milestone_revised": N_("Milestone of {date}: text revised"),
    "change_milestone_date": N_("Date of the milestone \u2018{event}\u2019"),
    "change_agreements": N_("Agreements signed"),
    "change_more_than": N_("more than {minimum}"),
    "change_body_added": N_("Multilateral body added: {abbr} ({name})"),
    "change_body_removed": N_("Multilateral body removed: {abbr} ({name})"),
    "change_visit_years_added": N_("Years with visits added: {years}"),
    "change_visit_years_removed": N_("Years with visits removed: {years}"),
    # transport
    "change_segment": N_("Railway length in {country}"),
    "change_segment_added": N_("Railway section added: {segment}"),
    "change_segment_removed": N_("Railway section removed: {segment}"),
    "change_railway_total": N_("Railway length in all"),
    "change_completed": N_("Completion of the {country} section"),
    "change_railway_agreed": N_("Railway agreement signed"),
    "change_route": N_("Railway route"),
    "change_ferry_opened": N_("Ferry link opened"),
    # sources and recommendations
    "change_source_added": N_("Source added: {title}"),
    "change_source_removed": N_("Source removed: {title}"),
    "change_source_revised": N_("Source \u2018{title}\u2019: details revised"),
    "change_heading": N_("Section heading"),
    "change_recommendation_added": N_("Recommendation added: {title}"),
    "change_recommendation_removed": N_("Recommendation removed: {title}"),
    "change_recommendation_revised": N_("Recommendation \u2018{title}\u2019: text revised"),
    # the project's own sections and figures (data/own.py)
    "change_section_added": N_("Section added: {section}"),
    "change_section_removed": N_("Section removed: {section}"),
    "change_figure_added": N_("Figure added: {title}"),
    "change_figure_removed": N_("Figure removed: {title}"),
    "change_figure_revised": N_("Figure \u2018{title}\u2019: data revised"),
    # the cover and the press dateline of a second (third...) edition of the same day
    "edition_id": N_("Edition {edition}"),
}
