"""The charts' sentences and labels (captions, alt text, titles, legends, map labels): part of
the words catalogue (words.MESSAGES), kept apart only so that neither file grows past a
screenful. Charts use them through ``words.phrase``."""

from __future__ import annotations

from .current import N_

CHART_MESSAGES: dict[str, str] = {
    # charts: trade
    "trade_caption": N_("Trade, {years} ({currency})."),
    "trade_caption_between": N_(
        "Trade between {own} and {partner}, {years} ({currency});"
        " export and import as seen from {own}."
    ),
    "trade_caption_scale": N_("Import is drawn on its own scale, in {unit}."),
    "trade_alt_bars": N_("Bar charts of trade in {currency}, by year."),
    "trade_alt_bars_between": N_(
        "Bar charts of trade between {own} and {partner} in {currency}, by year."
    ),
    "trade_alt_lines": N_("Line charts of trade in {currency}, by year."),
    "trade_alt_lines_between": N_(
        "Line charts of trade between {own} and {partner} in {currency}, by year."
    ),
    "trade_alt_year": N_("{year}: turnover {turnover}, export {export}, import {import_}"),
    "trade_title_big": N_("Turnover and export, {unit}"),
    "trade_title_small": N_("Import, {unit} (own scale)"),
    # charts: railway
    "railway_title": N_("{line} railway, {ends}: {total} km in all"),
    "railway_part": N_("{country} {km} km"),
    "railway_completed": N_("{country} section completed {year}."),
    "railway_caption": N_(
        "Length of the {line} railway ({ends}) by country: {parts}; {total} km in all."
    ),
    "railway_alt": N_(
        "Stacked bar of the {line} railway from {start} to {end}, {total} km in all: {parts}."
    ),
    "segment_completed": N_("completed {year}"),
    # charts: visits
    "visits_caption": N_("Years with bilateral visits, {years}: {count} years with visits."),
    "visits_alt": N_(
        "Timeline from {first} to {last} marking the {count} years with visits: {years}."
    ),
    "visits_alt_gaps": N_("No visits are listed for {gaps}."),
    "visits_caption_unknown": N_(
        "The number of visits per year is not given in the source, nor which side made them."
    ),
    "visits_alt_unknown": N_(
        "The number of visits per year is not given in the source; it names the two sides,"
        " {sides}, but not which side visited when."
    ),
    "visits_caption_counts": N_(
        "Number of visits per year as given in the source; sides: {sides}."
    ),
    "visits_alt_counts": N_("Visits per year, as given in the source: {numbers}."),
    "visits_side": N_("{code} ({name})"),
    "visits_listed": N_("Visits listed"),
    "visits_none_listed": N_("No visits listed"),
    "visits_title": N_("Years in which visits took place"),
    "visits_note_counts": N_("Number of visits per year not given in the source."),
    "visits_note_sides": N_(
        "The two sides, {sides}, are named in the source but not attributed per year."
    ),
    "visits_title_counts": N_("Number of visits per year"),
    # charts: corridor map
    "map_note": N_("Positions approximate; coastlines and borders simplified."),
    "map_ferry_link": N_("Ferry link"),
    "map_railway": N_("Railway"),
    "map_port": N_("Port"),
    "map_station": N_("Railway station"),
    "map_capital": N_("Capital"),
    "map_ports": N_("Ports: {places}."),
    "map_stations": N_("Railway stations: {places}."),
    "map_capitals": N_("Capitals: {places}."),
    "map_place": N_("{name} ({country})"),
    "map_caption": N_(
        "Ferry and rail links: {description} from {origin} to {ports} (opened {date});"
        " {parties} railway via {route}."
    ),
    "map_alt": N_(
        "Map. Dashed ferry lines run from {origin} to {ports}. A solid line shows the {total} km"
        " {parties} railway through {route}, in that order. {places} Positions are approximate."
    ),
    "list_and": N_("{names} and {last}"),
}
