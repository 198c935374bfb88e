"""User-interface strings in Norwegian bokmål (the default) and English.

Every text a page or the map shows goes through :func:`t`.  Vocabulary labels (unit types, tenures,
statuses, target groups) live in :mod:`geoplan.vocab`; this module holds everything else.
"""

from __future__ import annotations

import string

LANGS: dict[str, str] = {"nb": "Norsk bokmål", "en": "English"}
DEFAULT_LANG = "nb"

# key: (bokmål, English)
STRINGS: dict[str, tuple[str, str]] = {
    # app shell
    "app_title": ("GeoPlan – kommunale boliger", "GeoPlan – municipal housing"),
    "language": ("Språk", "Language"),
    # Streamlit's own widget texts (placeholders of selectboxes, multiselects, text fields)
    "choose_one": ("Velg …", "Choose …"),
    "choose_many": ("Velg én eller flere …", "Choose one or more …"),
    "admin.email_placeholder": ("navn@kommune.no", "name@municipality.no"),
    "starting": ("Åpner boligregisteret …", "Opening the register …"),
    "synthetic_note": (
        "Demodata for {name}: boligene er syntetiske og viser ingen virkelige adresser.",
        "Demo data for {name}: the units are synthetic and show no real addresses.",
    ),
    "municipality": ("{name} · kommunenr. {number}", "{name} · municipality no. {number}"),
    "no_units": (
        "Registeret har ingen boliger ennå. Importer en boligliste for å komme i gang.",
        "The register has no units yet. Import a list of units to get started.",
    ),
    "error.page": (
        "Noe gikk galt på denne siden. Feilen er logget. Prøv igjen, eller kontakt den som "
        "drifter GeoPlan.",
        "Something went wrong on this page. The error has been logged. Try again, or contact "
        "whoever runs GeoPlan.",
    ),
    # --- starting on your own municipality (streamlit_app/pages/first_run.py, geoplan init/reset)
    "page_first_run": ("Kom i gang", "Get started"),
    "setup.title": ("Kom i gang med GeoPlan", "Get started with GeoPlan"),
    "setup.intro": ("Databasen er tom. Start med din egen kommune, eller prøv demoen.",
                    "The database is empty. Start with your own municipality, or try the demo."),
    "setup.own.header": ("Din egen kommune", "Your own municipality"),
    "setup.own.help": (
        "Først kommunegrensen (for eksempel Kartverkets kommunegrenser; en fil med alle "
        "kommunene går også), så boligregisteret. Deretter vises kartet og de andre sidene.",
        "First the municipal boundary (for example Kartverket's municipal boundaries; a file "
        "with every municipality works too), then the register of units. Then the map and the "
        "other pages appear."),
    "setup.step_boundary": ("1. Kommunegrensen", "1. The municipal boundary"),
    "setup.number": ("Kommunenummer (fire sifre)", "Municipality number (four digits)"),
    "setup.name": ("Kommunenavn", "Municipality name"),
    "setup.boundary_file": ("Fil med kommunegrensen (GeoJSON, GPKG eller zippet SHP)",
                            "Boundary file (GeoJSON, GPKG or zipped SHP)"),
    "setup.boundary_button": ("Importer kommunegrensen", "Import the boundary"),
    "setup.boundary_done": ("Kommunegrensen for {name} (kommunenr. {number}) er på plass.",
                            "The boundary of {name} (municipality no. {number}) is in place."),
    "setup.step_register": ("2. Boligregisteret", "2. The register of units"),
    "setup.register_file": ("Boligliste (CSV, XLSX, GeoJSON, GPKG eller zippet SHP)",
                            "List of units (CSV, XLSX, GeoJSON, GPKG or zipped SHP)"),
    "setup.register_button": ("Importer boliglisten", "Import the register"),
    "setup.register_done": ("Importert: {summary}.", "Imported: {summary}."),
    "setup.open_map": ("Åpne kartet", "Open the map"),
    "setup.demo.header": ("Prøv demoen", "Try the demo"),
    "setup.demo.help": (
        "Demoen er en oppdiktet utgave av Elverum: alle boliger, adresser og områder er "
        "syntetiske. Den kan tømmes igjen før du tar i bruk egne data.",
        "The demo is a made-up version of Elverum: every unit, address and area is synthetic. "
        "It can be emptied again before you use your own data."),
    "setup.demo_button": ("Last inn demoen (syntetiske data)", "Load the demo (synthetic data)"),
    "setup.ask_planner": (
        "Databasen er tom. Be en planlegger eller administrator om å legge inn kommunegrensen "
        "og boligregisteret.",
        "The database is empty. Ask a planner or an administrator to add the municipal "
        "boundary and the register of units."),
    "setup.refused.bad_number": ("«{number}» er ikke et kommunenummer (fire sifre, for "
                                 "eksempel 3420).",
                                 "“{number}” is not a municipality number (four digits, for "
                                 "example 3420)."),
    "setup.refused.missing_name": ("Skriv inn kommunens navn.", "Give the municipality's name."),
    "setup.refused.not_empty": (
        "Databasen har allerede kommunen {name} (kommunenr. {number}) med {units:bolig|boliger}; "
        "den må tømmes først.",
        "The database already holds {name} (municipality no. {number}) with {units:unit|units}; it "
        "must be emptied first."),
    "setup.refused.not_empty_units": (
        "Databasen har allerede {units:bolig|boliger}; den må tømmes først.",
        "The database already holds {units:unit|units}; it must be emptied first."),
    "setup.refused.number_not_in_file": ("Filen har ingen kommune med kommunenummer {number}.",
                                         "The file has no municipality numbered {number}."),
    "setup.refused.other_municipality": (
        "Databasen har allerede kommunen {name} (kommunenr. {number}); demoen lastes ikke inn "
        "i den.",
        "The database already holds {name} (municipality no. {number}); the demo is not loaded "
        "into it."),
    "setup.cli.reset_hint": ("Tøm den med «geoplan reset».", "Empty it with `geoplan reset`."),
    "setup.cli.init_done": (
        "Satte opp {name} (kommunenr. {number}) fra {filename}. Importer så boligregisteret: "
        "geoplan import units FIL",
        "Set up {name} (municipality no. {number}) from {filename}. Next, import the register: "
        "geoplan import units FILE"),
    "setup.cli.reset_confirm": (
        "Tømme databasen? Alt unntatt brukerne og loggen slettes (en sikkerhetskopi skrives "
        "først).",
        "Empty the database? Everything but the users and the audit trail is deleted (a backup "
        "is written first)."),
    "setup.cli.reset_done": ("Tømte databasen: {total:rad|rader} slettet. Sikkerhetskopi: {backup}",
                             "Emptied the database: {total:row|rows} deleted. Backup: {backup}"),
    "setup.cli.reset_aborted": ("Avbrutt; ingenting ble endret.", "Aborted; nothing was changed."),
    "setup.cli.demo_loaded": ("Lastet inn Elverum-demoen (syntetiske data)",
                              "Loaded the Elverum demo (synthetic data)"),
    "setup.cli.demo_has_data": (
        "Databasen har allerede demoen; bruk --force for å laste den inn på nytt.",
        "The database already holds the demo; use --force to load it again."),
    # --- sign-in (streamlit_app/auth.py) ---
    "signin.local_banner": ("Ingen innlogging – kun lokal bruk", "No sign-in – local use only"),
    "signin.refused_address": (
        "GeoPlan starter ikke: serveren lytter på {address}, men innlogging er ikke satt opp. "
        "Fyll ut [auth] i .streamlit/secrets.toml, eller kjør bare lokalt "
        "(server.address = \"localhost\").",
        "GeoPlan does not start: the server listens on {address}, but sign-in is not set up. "
        "Fill in [auth] in .streamlit/secrets.toml, or run locally only "
        "(server.address = \"localhost\").",
    ),
    "signin.refused_incomplete": (
        "GeoPlan starter ikke: innloggingen i .streamlit/secrets.toml mangler {keys} under [auth].",
        "GeoPlan does not start: the sign-in in .streamlit/secrets.toml lacks {keys} under [auth].",
    ),
    "signin.refused_proxy": (
        "GeoPlan starter ikke: uten innlogging er appen bare for denne maskinen, men denne økten "
        "kommer via {via}. Fyll ut [auth] i .streamlit/secrets.toml.",
        "GeoPlan does not start: without sign-in the app is for this machine only, but this "
        "session comes through {via}. Fill in [auth] in .streamlit/secrets.toml.",
    ),
    "signin.prompt": ("Logg inn med kommunens konto for å bruke GeoPlan.",
                      "Sign in with your municipal account to use GeoPlan."),
    "signin.button": ("Logg inn", "Sign in"),
    "signin.logout": ("Logg ut", "Sign out"),
    "signin.unknown_user": (
        "Du er logget inn som {email}, men har ikke tilgang til GeoPlan. Be en administrator om "
        "å gi deg en rolle.",
        "You are signed in as {email}, but you have no access to GeoPlan. Ask an administrator "
        "to give you a role.",
    ),
    "signin.as": ("Innlogget som {email} ({role})", "Signed in as {email} ({role})"),
    "signin.role.viewer": ("leser", "viewer"),
    "signin.role.property_manager": ("eiendomsforvalter", "property manager"),
    "signin.role.planner": ("planlegger", "planner"),
    "signin.role.admin": ("administrator", "administrator"),
    # --- dashboard, presentation and meeting papers (geoplan.ui.dashboard_view) ---
    "dash.title": ("Kommunale boliger i {municipality} per {date}",
                   "Municipal rental units in {municipality} on {date}"),
    "dash.units": ("Kommunale boliger", "Municipal units"),
    "dash.per_1000": ("Per 1 000 innbyggere", "Per 1,000 residents"),
    "dash.over_cap": ("Andel i områder over taket", "Share in areas over the cap"),
    "dash.suppressed": ("færre enn {n}", "fewer than {n}"),
    "dash.legend_above": ("over {share}", "above {share}"),
    "dash.legend_suppressed": ("færre enn {n} boliger (skjult)", "fewer than {n} units (hidden)"),
    "dash.legend_unknown": ("ukjent antall boliger i området", "dwellings in the area unknown"),
    "dash.purchases": ("Kjøpt i {year}", "Bought in {year}"),
    "dash.sales": ("Solgt i {year}", "Sold in {year}"),
    # the dashboard page (streamlit_app/pages/dashboard.py) and its map (ui.dashboard_map)
    "page_dashboard": ("Dashbord", "Dashboard"),
    "page_presentation": ("Presentasjon", "Presentation"),
    "dash.legend_title": ("Andel kommunale boliger av alle boliger",
                          "Municipal units as a share of all dwellings"),
    "dash.map_date": ("Per {date} · {system}", "On {date} · {system}"),
    "dash.tooltip_area": ("Område", "Area"),
    "dash.tooltip_share": ("Andel av alle boliger", "Share of all dwellings"),
    "dash.trend_title": ("Utvikling per år", "By year"),
    "dash.waiting_title": ("Husstander som venter på bolig ({date})",
                           "Households waiting ({date})"),
    "dash.waiting_none": ("Ingen venteliste er registrert.", "No waiting list is recorded."),
    "dash.col_group": ("Målgruppe", "Target group"),
    "dash.col_waiting": ("Venter", "Waiting"),
    "dash.col_vacant": ("Ledige", "Vacant"),
    "dash.col_gap": ("Udekket om {h} år", "Unmet in {h} years"),
    "dash.supply_note": (
        "Ledige: ledige boliger som passer gruppen. Udekket: køen om {h} år uten nye boliger.",
        "Vacant: vacant units that suit the group. Unmet: the queue in {h} years without new "
        "units."),
    "dash.this_year_title": ("Kjøp og salg i {year}", "Purchases and sales in {year}"),
    "dash.public_note": (
        "Bare tall per område. Antall fra 1 til {below} vises som «færre enn {n}», andre antall "
        "er avrundet til nærmeste {base}.",
        "Figures per area only. Counts from 1 to {below} show as \u201cfewer than {n}\u201d, "
        "other counts are rounded to the nearest {base}."),
    "dash.presentation_note": (
        "Presentasjonen viser nøyaktig det samme som den offentlige utgaven.",
        "The presentation shows exactly what the public version shows."),
    "dash.no_data": ("Det er ingen områder med boliger å vise ennå.",
                     "There are no areas with units to show yet."),
    "dash.download_pdf": ("Last ned møtepapirene (PDF)", "Download the meeting papers (PDF)"),
    # --- meeting papers (geoplan report, geoplan.ui.report) and the slide map (static_map) ---
    "report.internal": ("Intern", "Internal"),
    "report.internal_stamp": ("Intern – ikke for offentliggjøring",
                              "Internal – not for publication"),
    "report.public": ("Offentlig versjon", "Public version"),
    "report.subtitle": ("{system} · {version} · laget {made}",
                        "{system} · {version} · made on {made}"),
    "report.page": ("Side {n}", "Page {n}"),
    "report.headline": ("Hovedtall", "Key figures"),
    "report.map_title": ("Andel kommunale boliger av alle boliger, per område",
                         "Municipal units as a share of all dwellings, per area"),
    "report.legend_over_cap": ("over taket på {cap} (tykk kant)", "over the cap of {cap} (thick edge)"),
    "report.attribution": (
        "Områder: {system}. Tall: GeoPlan per {date}. Tegnet uten bakgrunnskart.",
        "Areas: {system}. Figures: GeoPlan on {date}. Drawn without a background map."),
    "report.trend_units": ("Kommunale boliger", "Municipal units"),
    "report.areas_title": ("Tall per område", "Figures per area"),
    "report.col_area": ("Område", "Area"),
    "report.col_dwellings": ("Boliger i alt", "All dwellings"),
    "report.col_units": ("Kommunale", "Municipal"),
    "report.col_share": ("Andel", "Share"),
    "report.col_per_1000": ("Per 1000 innb.", "Per 1,000 pop."),
    "report.col_over_cap": ("Over taket", "Over the cap"),
    "report.yes": ("ja", "yes"),
    "report.areas_more": ("… og {n:område|områder} til med lavere andel.",
                          "… and {n:more area|more areas} with a lower share."),
    "report.col_group": ("Målgruppe", "Target group"),
    "report.col_households": ("Husstander som venter", "Households waiting"),
    "report.methods_title": ("Slik er tallene laget", "How the figures are made"),
    "report.methods_units": (
        "Tallene gjelder kommunalt disponerte boliger (eid, innleid eller med tildelingsrett) "
        "som er i bruk per {date}. En bolig som er solgt, teller ikke lenger.",
        "The figures are the municipal rental units (owned, leased or with nomination rights) "
        "in use on {date}. A unit that has been sold no longer counts."),
    "report.methods_share": (
        "Andelen i et område er de kommunale boligene delt på alle boligene i området. Taket "
        "er {cap}: et område over taket har en høyere andel enn kommunen har satt som grense.",
        "An area's share is its municipal units divided by all its dwellings. The cap is {cap}: "
        "an area over the cap has a higher share than the municipality has set as its limit."),
    "report.methods_d": (
        "Ulikhetsindeksen D måler hvor ujevnt boligene er fordelt: 0 er helt jevnt, 1 er alt i "
        "ett område. D = {d} betyr at {p} av de kommunale boligene måtte flyttet for at alle "
        "områder skulle fått samme andel.",
        "The dissimilarity index D measures how unevenly the units are spread: 0 is perfectly "
        "even, 1 is everything in one area. D = {d} means that {p} of the municipal units would "
        "have to move for every area to have the same share."),
    "report.methods_trend": (
        "Utviklingen bruker dagens tall for befolkning og boliger i alle år; bare de kommunale "
        "boligene flytter seg etter registerets datoer.",
        "The trend uses today's population and dwelling counts in every year; only the "
        "municipal units move with the register's dates."),
    "report.sources_title": ("Datakilder", "Data sources"),
    "report.sources": (
        "Kommunens register over kommunalt disponerte boliger (GeoPlan). Befolkning og boliger "
        "per område og områdegrensene: {system}. Ventelisten: kommunens siste oversikt over "
        "søkere per målgruppe ({date}). Registeret har ingen personopplysninger, og rapporten "
        "viser ingen adresser.",
        "The municipality's register of municipal rental units (GeoPlan). Population and "
        "dwellings per area and the area boundaries: {system}. The waiting list: the "
        "municipality's latest count of applicants per target group ({date}). The register "
        "holds no personal data, and the report shows no addresses."),
    "report.suppression_title": ("Skjerming av små tall", "Protection of small counts"),
    "report.suppression_public": (
        "Dette er den offentlige versjonen. For at ingen skal kunne kjenne igjen en "
        "husstand, vises et antall fra 1 til {below} som «færre enn {n}», og alle andre antall "
        "er avrundet til nærmeste {base}. Andeler og rater er regnet av de avrundede tallene, "
        "så summer kan avvike litt fra totalen.",
        "This is the public version. So that no household can be recognised, a count from 1 "
        "to {below} is shown as \u201cfewer than {n}\u201d, and every other count is rounded "
        "to the nearest {base}. Shares and rates are computed from the rounded counts, so sums "
        "may differ a little from the total."),
    "report.suppression_internal": (
        "Dette er den interne versjonen: alle antall er de sanne tallene, også små tall. "
        "Rapporten navngir ingen leietakere og viser ingen adresser, men små tall i et område "
        "kan peke ut en husstand. Den skal ikke deles offentlig; bruk den offentlige versjonen "
        "til det.",
        "This is the internal version: every count is the true count, small ones included. "
        "The report names no tenants and shows no addresses, but a small count in an area can "
        "point to a household. Do not share it publicly; use the public version for that."),
    # pages
    "page_map": ("Kart", "Map"),
    "page_concentration": ("Konsentrasjon", "Concentration"),
    "page_purchase": ("Kjøpstest", "Purchase test"),
    "page_plan": ("Kjøpsplan", "Purchase plan"),
    "page_import": ("Import", "Import"),
    # map page
    "map_title": ("Kart over kommunalt disponerte boliger", "Map of municipal rental units"),
    "filters": ("Filtre", "Filters"),
    "filter_type": ("Boligtype", "Unit type"),
    "filter_tenure": ("Eierform", "Tenure"),
    "filter_status": ("Status", "Status"),
    "filter_target_group": ("Målgruppe", "Target group"),
    "all": ("Alle", "All"),
    "area_system": ("Områdeinndeling", "Area system"),
    "no_areas": ("Ingen", "None"),
    "showing": ("Viser {shown} av {total:bolig|boliger}", "Showing {shown} of {total:unit|units}"),
    "table_first_rows": ("Tabellen viser de første {n} av {total} boligene; nedlastingene har alle.",
                         "The table shows the first {n} of {total} units; the downloads have all."),
    "table": ("Boliger", "Units"),
    "show_table": ("Vis tabellen ({n:bolig|boliger})", "Show the table ({n:unit|units})"),
    "download_csv": ("Last ned CSV", "Download CSV"),
    "download_xlsx": ("Last ned Excel", "Download Excel"),
    "file_stem": ("boliger", "units"),
    # map layers and legend
    "layer_units": ("Boliger", "Units"),
    "layer_cells": ("Boliger per rute på {size} m", "Units per {size} m cell"),
    "map_cell_units": ("{n} boliger i ruten ({size} m)", "{n} units in the cell ({size} m)"),
    "layer_areas": ("Områder", "Areas"),
    "basemap_osm": ("OpenStreetMap", "OpenStreetMap"),
    "basemap_topo": ("Kartverket topografisk", "Kartverket topographic"),
    "legend_title": ("Boligtype", "Unit type"),
    "area_name": ("Område", "Area"),
    # unit fields (popup and table)
    "unit_id": ("Bolig-ID", "Unit ID"),
    "address": ("Adresse", "Address"),
    "postal_code": ("Postnr.", "Postal code"),
    "place": ("Poststed", "Place"),
    "unit_type": ("Boligtype", "Unit type"),
    "tenure": ("Eierform", "Tenure"),
    "status": ("Status", "Status"),
    "target_group": ("Målgruppe", "Target group"),
    "rooms": ("Rom", "Rooms"),
    "floor_area": ("m²", "m²"),
    "floor": ("Etasje", "Floor"),
    "universal_design": ("Universelt utformet", "Universal design"),
    "wheelchair": ("Rullestoltilpasset", "Wheelchair accessible"),
    "monthly_rent": ("Husleie (kr/mnd)", "Rent (NOK/month)"),
    "building_id": ("Bygningsnr.", "Building no."),
    "housing_company": ("Borettslag/sameie", "Housing company"),
    "gnr": ("Gnr.", "Farm no."),
    "bnr": ("Bnr.", "Holding no."),
    "fnr": ("Fnr.", "Leasehold no."),
    "snr": ("Snr.", "Section no."),
    "acquired": ("Anskaffet", "Acquired"),
    "disposed": ("Avhendet", "Disposed"),
    "contract_end": ("Kontrakt utløper", "Contract ends"),
    "lon": ("Lengdegrad", "Longitude"),
    "lat": ("Breddegrad", "Latitude"),
    "yes": ("Ja", "Yes"),
    "no": ("Nei", "No"),
    # area systems
    "system.grunnkrets": ("Grunnkretser", "Basic statistical units"),
    "system.delområde": ("Delområder", "Sub-areas"),
    "system.levekarssone": ("Levekårssoner", "Living-conditions zones"),
    "system.ssb250m": ("SSB-rutenett 250 m", "SSB grid 250 m"),
    "system.ssb1km": ("SSB-rutenett 1 km", "SSB grid 1 km"),
    "system.kommune": ("Kommuner", "Municipalities"),
    # --- concentration page ---
    "conc_radius": ("Radius for naboboliger (m)", "Radius for neighbouring units (m)"),
    "conc_units_table": ("Konsentrasjon uten områder: hver bolig", "Concentration without areas: every unit"),
    "conc_units_help": (
        "Antall kommunale boliger innen 250 m og valgt radius (boligen selv medregnet), i samme "
        "bygning eller borettslag og på samme adresse. Uavhengig av områdegrenser.",
        "Municipal units within 250 m and the chosen radius (the unit itself included), in the "
        "same building or housing company and at the same address. Independent of area borders.",
    ),
    "col_within_radius": ("Innen {metres} m", "Within {metres} m"),
    "col_same_address": ("Samme adresse", "Same address"),
    "conc_title": ("Konsentrasjon av kommunale boliger", "Concentration of municipal rental units"),
    "conc_intro": (
        "Hvor tett ligger de kommunale boligene, og blir fordelingen jevnere? Tallene gjelder "
        "boligene som er aktive på valgt dato.",
        "How concentrated are the municipal units, and is the spread getting more even? The "
        "figures are for the units active on the chosen date.",
    ),
    "conc_no_areas": (
        "Ingen områdeinndeling er lagret. Importer grunnkretser eller et rutenett for å se "
        "konsentrasjonen.",
        "No area system is stored. Import basic statistical units or a grid to see the "
        "concentration.",
    ),
    "conc_date": ("Dato", "Date"),
    "conc_indicator": ("Indikator på kartet", "Indicator on the map"),
    "conc_scheme": ("Klasseinndeling", "Classification"),
    "indicator.share": ("Andel kommunale boliger", "Share of municipal units"),
    "indicator.per_1000": ("Kommunale boliger per 1 000 innbyggere", "Municipal units per 1,000 residents"),
    "indicator.lq": ("Lokaliseringskvotient (områdets andel delt på kommunens)",
                     "Location quotient (the area's share divided by the municipality's)"),
    "indicator.units": ("Antall kommunale boliger", "Number of municipal units"),
    "scheme.quantiles": ("Kvantiler (like mange områder i hver klasse)",
                         "Quantiles (as many areas in each class)"),
    "scheme.natural_breaks": ("Naturlige brudd (Jenks)", "Natural breaks (Jenks)"),
    "unknown_value": ("Ukjent", "Unknown"),
    "dwellings": ("Boliger i alt", "All dwellings"),
    "municipal_units": ("Kommunale boliger", "Municipal units"),
    # --- hot spots (geoplan.ui.layers.hotspot_layer): one cluster.<code> and
    # cluster_meaning.<code> per geoplan.service.CLUSTER_CODES, one hotspot_note.<c> and
    # hotspot_p.<c> per geoplan.service.CORRECTIONS ---
    "layer_hotspots": ("Klynger av høy og lav andel", "Clusters of high and low shares"),
    "hotspot_legend": ("Klynger: nabolag med uvanlig høy eller lav andel kommunale boliger",
                       "Clusters: neighbourhoods with an unusually high or low share of "
                       "municipal units"),
    "hotspot_note.fdr_bh": (
        "Et område er merket når andelen i området og nabolaget samlet er så høy (eller lav) "
        "at den sjelden oppstår når de samme andelene fordeles tilfeldig ({permutations} "
        "forsøk). Av de merkede områdene ventes høyst {alpha} å være falske alarmer. Områder "
        "med færre enn {min} boliger er ikke testet.",
        "An area is marked when the share in the area and its neighbourhood together is so "
        "high (or low) that it seldom occurs when the same shares are spread at random "
        "({permutations} trials). At most {alpha} of the marked areas are expected to be false "
        "alarms. Areas with fewer than {min} dwellings are not tested."),
    "hotspot_note.none": (
        "Et område er merket når andelen i området og nabolaget samlet er så høy (eller lav) "
        "at den oppstår i under {alpha} av {permutations} tilfeldige fordelinger av de samme "
        "andelene. Hvert område er vurdert for seg, så blant mange områder er noen merket ved "
        "en tilfeldighet. Områder med færre enn {min} boliger er ikke testet.",
        "An area is marked when the share in the area and its neighbourhood together is so "
        "high (or low) that it occurs in under {alpha} of {permutations} random spreads of the "
        "same shares. Each area is judged on its own, so among many areas some are marked by "
        "chance. Areas with fewer than {min} dwellings are not tested."),
    "hotspot_z": ("Styrke (z; over 0: høyere andel enn snittet)",
                  "Strength (z; above 0: a higher share than average)"),
    "hotspot_p.fdr_bh": ("p-verdi, korrigert for at alle områder testes",
                         "p-value, corrected for testing every area"),
    "hotspot_p.none": ("p-verdi (hvert område for seg)", "p-value (each area on its own)"),
    "hotspot_meaning": ("Hva det betyr", "What it means"),
    "cluster.high": ("Klynge med høy andel (hot spot)", "High-share cluster (hot spot)"),
    "cluster.low": ("Klynge med lav andel (cold spot)", "Low-share cluster (cold spot)"),
    "cluster.ns": ("Ingen tydelig klynge", "No clear cluster"),
    "cluster.too_few": ("For få boliger til å teste", "Too few dwellings to test"),
    "cluster.no_neighbours": ("Ingen naboer å sammenligne med", "No neighbours to compare with"),
    "cluster_meaning.high": (
        "Området og naboene har samlet en høyere andel kommunale boliger enn kommunen ellers, "
        "mer enn tilfeldigheter kan forklare.",
        "The area and its neighbours together have a higher share of municipal units than the "
        "rest of the municipality, more than chance can explain."),
    "cluster_meaning.low": (
        "Området og naboene har samlet en lavere andel kommunale boliger enn kommunen ellers, "
        "mer enn tilfeldigheter kan forklare.",
        "The area and its neighbours together have a lower share of municipal units than the "
        "rest of the municipality, more than chance can explain."),
    "cluster_meaning.ns": (
        "Andelen i området og nabolaget kan like gjerne skyldes tilfeldigheter.",
        "The share in the area and its neighbourhood could just as well be chance."),
    "cluster_meaning.too_few": (
        "Færre enn {min} boliger: én kommunal bolig flytter andelen for mye til at testen er "
        "til å stole på. Området er heller ikke regnet som nabo til andre.",
        "Fewer than {min} dwellings: one municipal unit moves the share too much for the test "
        "to be trusted. Nor does the area count as anyone's neighbour."),
    "cluster_meaning.no_neighbours": (
        "Området grenser ikke til noe annet testet område, så det finnes ikke noe nabolag å "
        "teste.",
        "The area touches no other tested area, so there is no neighbourhood to test."),
    "cluster": ("Klynge", "Cluster"),
    "legend_flags": ("Over policytakene", "Over the policy caps"),
    "flag_reason": ("Merknad", "Reason"),
    "conc_headline_share": ("Andel av alle boliger", "Share of all dwellings"),
    "conc_map": ("Kart", "Map"),
    "conc_indices": ("Segregasjonsindekser", "Segregation indices"),
    "conc_index": ("Indeks", "Index"),
    "conc_value": ("Verdi", "Value"),
    "conc_meaning": ("Hva betyr det?", "What does it mean?"),
    "conc_none_flagged": ("Ingen over taket.", "None over the cap."),
    "conc_area_table": ("Alle områder", "All areas"),
    "conc_file_stem": ("konsentrasjon", "concentration"),
    "col_code": ("Kode", "Code"),
    "col_population": ("Innbyggere", "Residents"),
    "col_share_pct": ("Andel (%)", "Share (%)"),
    "col_per_1000": ("Per 1 000 innbyggere", "Per 1,000 residents"),
    "col_lq": ("Lokaliseringskvotient", "Location quotient"),
    "col_z": ("Klyngestyrke (z)", "Cluster strength (z)"),
    "col_p": ("p-verdi for klynge", "Cluster p-value"),
    "col_within_250m": ("Innen 250 m", "Within 250 m"),
    "col_same_building": ("Samme bygning", "Same building"),
    "col_type": ("Type: {label}", "Type: {label}"),
    "col_group": ("Målgruppe: {label}", "Target group: {label}"),
    "conc_policy": ("Policytak", "Policy caps"),
    "conc_policy_help": (
        "Tak som brukes til å flagge områder og boliger, og hvor mange boliger et område må ha "
        "for å testes for klynger. Endringer gjelder for hele kommunen.",
        "Caps used to flag areas and units, and how many dwellings an area needs to be tested "
        "for clusters. Changes apply to the whole municipality.",
    ),
    # one label per geoplan.policy.POLICY_FIELDS name
    "policy.max_area_share": ("Største andel kommunale boliger i et område (%)",
                              "Largest share of municipal units in an area (%)"),
    "policy.max_per_building": ("Flest kommunale boliger i samme bygning/borettslag",
                                "Most municipal units in one building or housing company"),
    "policy.max_within_250m": ("Flest kommunale boliger innen 250 m",
                               "Most municipal units within 250 m"),
    "policy.annual_budget": ("Årlig kjøpsbudsjett (kr)", "Annual purchase budget (NOK)"),
    "policy.min_hotspot_dwellings": ("Færrest boliger i et område for klyngetesten",
                                     "Fewest dwellings in an area for the cluster test"),
    "policy.min_count": ("Minste antall som vises offentlig (1 til dette minus 1 skjules)",
                         "Smallest count shown in public (1 up to this minus 1 are hidden)"),
    "policy.years_to_clear_backlog": ("Antall år for å bygge ned ventelisten",
                                      "Years to clear the waiting list"),
    "policy.flow_mean_years": ("Antall år i snittet av tilgang, avgang og gjenutleie",
                               "Years averaged for inflow, withdrawals and re-lets"),
    # one per geoplan.policy.PolicyError code
    "policy.error.unknown": ("ukjent policyfelt", "unknown policy field"),
    "policy.error.not_a_number": ("ikke et tall", "not a number"),
    "policy.error.negative": ("må være null eller mer", "must be zero or more"),
    "policy.error.above_maximum": ("kan ikke være over 100 %", "cannot be above 100 %"),
    "policy.error.not_whole": ("må være et helt tall", "must be a whole number"),
    "policy.refused": ("Takene ble ikke lagret: {problems}", "The caps were not saved: {problems}"),
    "policy_save": ("Lagre tak", "Save caps"),
    "policy_saved": ("Takene er lagret.", "The caps are saved."),
    # issue 11 (h11a): the policy's confirmation, roles on the pages, the admin page
    "policy_confirm_intro": ("Kontroller endringene før de lagres:",
                             "Check the changes before they are saved:"),
    "policy_confirm": ("Bekreft", "Confirm"),
    "policy_cancel": ("Avbryt", "Cancel"),
    "policy_unchanged": ("Ingen tak er endret.", "No cap has changed."),
    "policy_col_name": ("Tak", "Cap"),
    "policy_col_old": ("Nå", "Now"),
    "policy_col_new": ("Nytt", "New"),
    "policy_read_only": ("Bare planleggere og administratorer kan endre takene.",
                         "Only planners and administrators can change the caps."),
    "access_denied": ("Rollen din ({role}) har ikke lov til dette.",
                      "Your role ({role}) may not do this."),
    "page_admin": ("Brukere og logg", "Users and audit trail"),
    "admin.title": ("Brukere og revisjonslogg", "Users and audit trail"),
    "admin.users": ("Brukere", "Users"),
    "admin.users_help": ("Bare adresser som står her, kan logge inn, med rollen som står ved "
                         "siden av.", "Only the addresses listed here can sign in, with the "
                         "role next to them."),
    "admin.no_users": ("Ingen brukere ennå.", "No users yet."),
    "admin.email": ("E-postadresse", "E-mail address"),
    "admin.role": ("Rolle", "Role"),
    "admin.added_at": ("Lagt til", "Added"),
    "admin.added_by": ("Lagt til av", "Added by"),
    "admin.add": ("Legg til eller endre rolle", "Add or change role"),
    "admin.added": ("{email} har nå rollen {role}.", "{email} now has the role {role}."),
    "admin.remove": ("Fjern bruker", "Remove user"),
    "admin.removed": ("{email} er fjernet.", "{email} is removed."),
    "admin.not_self": ("Du kan ikke fjerne deg selv.", "You cannot remove yourself."),
    "admin.bad_email": ("«{email}» er ikke en e-postadresse.", "'{email}' is not an e-mail address."),
    "admin.audit": ("Revisjonslogg", "Audit trail"),
    "admin.audit_help": ("Hver endring, innlogging, avvisning og rapport, med hvem, når og hva. "
                         "Loggen kan bare utvides; hver rad bærer hashen av raden før, så en "
                         "endret eller slettet rad blir oppdaget.",
                         "Every change, sign-in, refusal and report, with who, when and what. "
                         "The trail is append-only; each row carries the hash of the row "
                         "before it, so an edited or deleted row is found."),
    "admin.since": ("Fra dato", "From date"),
    "admin.action": ("Handling", "Action"),
    "admin.all_actions": ("Alle", "All"),
    "admin.no_rows": ("Ingen rader.", "No rows."),
    "admin.verify": ("Kontroller kjeden", "Verify the chain"),
    "admin.verify_ok": ("Kjeden er hel: {n:rad|rader}.", "The chain is whole: {n:row|rows}."),
    "admin.verify_bad": ("Kjeden er brutt ved rad {id}: raden er endret, eller en rad før den er "
                         "slettet.", "The chain is broken at row {id}: the row was edited, or "
                         "a row before it was deleted."),
    "admin.file_stem": ("revisjonslogg", "audit-trail"),
    "audit.col.id": ("Rad", "Row"),
    "audit.col.at": ("Tid (UTC)", "Time (UTC)"),
    "audit.col.actor": ("Hvem", "Who"),
    "audit.col.source": ("Fra", "From"),
    "audit.col.action": ("Handling", "Action"),
    "audit.col.object": ("Hva", "What"),
    "audit.col.before": ("Før", "Before"),
    "audit.col.after": ("Etter", "After"),
    "audit.col.counts": ("Antall", "Counts"),
    "audit.action.import": ("import", "import"),
    "audit.action.demo": ("demodata lastet", "demo loaded"),
    "audit.action.dispose": ("salg/avhending", "sale/disposal"),
    "audit.action.set_policy": ("tak endret", "caps changed"),
    "audit.action.add_unit_type": ("boligtype", "unit type"),
    "audit.action.save_scenario": ("scenario lagret", "scenario saved"),
    "audit.action.delete_scenario": ("scenario slettet", "scenario deleted"),
    "audit.action.record_scenario": ("kjøp registrert", "purchase recorded"),
    "audit.action.add_user": ("bruker lagt til/endret", "user added/changed"),
    "audit.action.remove_user": ("bruker fjernet", "user removed"),
    "audit.action.restore": ("gjenoppretting", "restore"),
    "audit.action.sign_in": ("innlogging", "sign-in"),
    "audit.action.sign_in_refused": ("innlogging avvist", "sign-in refused"),
    "audit.action.refused": ("avvist (rolle)", "refused (role)"),
    "audit.action.report": ("møtepapirer", "meeting papers"),
    "audit.action.public_export": ("offentlige tall", "public figures"),
    "conc_trend": ("Utvikling", "Trend"),
    "conc_change": ("Endring mellom to år", "Change between two years"),
    "conc_year_a": ("Fra år", "From year"),
    "conc_year_b": ("Til år", "To year"),
    "conc_indicator_col": ("Indikator", "Indicator"),
    "conc_change_col": ("Endring", "Change"),
    "areas_over_cap": ("Områder over taket", "Areas over the cap"),
    "units_over_cap": ("Boliger over et tak", "Units over a cap"),
    # --- which units the measures rest on (geoplan.service.Concentration.coverage), one text per
    # geoplan.service.EXCLUSION_REASONS code; data problems; undated units ---
    "conc_coverage": (
        "Andelene og indeksene bygger på {used} av {active} aktive kommunale boliger per {date}.",
        "The shares and indices rest on {used} of {active} active municipal units on {date}."),
    "conc_excluded": ("Utelatt: {parts}.", "Left out: {parts}."),
    "excluded.outside_areas": ("{n} utenfor alle områder", "{n} outside every area"),
    "excluded.unknown_dwellings": ("{n} i områder med null eller ukjent antall boliger",
                                   "{n} in areas with zero or unknown dwellings"),
    "conc_data_problems": (
        "Datafeil: flere kommunale boliger enn boliger i alt. Slike områder regnes som helt "
        "kommunale (andel 100 %, like mange boliger som kommunale boliger) i tabellen, kartet, "
        "indeksene og kjøpstesten. Rett boligtallet eller registeret.",
        "Data problem: more municipal units than dwellings. Such areas count as fully municipal "
        "(share 100 %, as many dwellings as municipal units) in the table, the map, the indices "
        "and the purchase test. Correct the dwelling count or the register."),
    "col_data_problem": ("Datafeil", "Data problem"),
    "conc_undated": (
        "Aktive boliger uten anskaffelsesdato: {n}. De regnes som aktive på alle datoer før et "
        "eventuelt salg.",
        "Active units without an acquired date: {n}. They count as active on every date before "
        "any disposal."),
    "conc_undated_none": ("Alle aktive boliger per {date} har anskaffelsesdato.",
                          "Every unit active on {date} has an acquired date."),
    "trend_undated": (
        "Boliger uten anskaffelsesdato: {n}. De regnes som aktive i alle år i grafene (til et "
        "eventuelt salg).",
        "Units without an acquired date: {n}. They count as active in every year of the charts "
        "(until any disposal)."),
    "trend_undated_none": ("Alle boligene i grafene har anskaffelsesdato.",
                           "Every unit in the charts has an acquired date."),
    "units_in_indices": ("Kommunale boliger i indeksene", "Municipal units in the indices"),
    "units_undated": ("Uten anskaffelsesdato", "Without acquired date"),
    "units_dated": ("Med anskaffelsesdato", "With acquired date"),
    "percentage_points": ("{value} prosentpoeng", "{value} percentage points"),
    "year": ("År", "Year"),
    "index_value": ("Indeksverdi", "Index value"),
    "share_pct_axis": ("Andel av alle boliger (%)", "Share of all dwellings (%)"),
    "area_share_title": ("Andel kommunale boliger i de {n} områdene med høyest andel",
                         "Share of municipal units in the {n} areas with the highest share"),
    "indices_title": ("Segregasjonsindekser per år", "Segregation indices per year"),
    "units_title": ("Kommunale boliger og andel per år", "Municipal units and share per year"),
    "trend_falling": ("{symbol} har falt fra {start} til {end} siden {year}.",
                      "{symbol} has fallen from {start} to {end} since {year}."),
    "trend_rising": ("{symbol} har steget fra {start} til {end} siden {year}.",
                     "{symbol} has risen from {start} to {end} since {year}."),
    "trend_flat": ("{symbol} er omtrent uendret siden {year} ({start} da, {end} nå).",
                   "{symbol} is about unchanged since {year} ({start} then, {end} now)."),
    "trend_unknown": ("For få år med data til å si om konsentrasjonen faller.",
                      "Too few years of data to tell whether concentration is falling."),
    # --- segregation indices: a name and a meaning per geoplan.service.INDEX_SPECS key; {symbol}
    # is the spec's symbol, {v} the value and {p} the value as a percentage ---
    "index.dissimilarity.name": ("Ulikhetsindeks ({symbol})", "Dissimilarity ({symbol})"),
    "index.dissimilarity.meaning": (
        "{symbol} = {v}: {p} av de kommunale boligene måtte flyttet for en jevn fordeling.",
        "{symbol} = {v}: {p} of municipal units would have to move for an even spread."),
    "index.isolation.name": ("Isolasjon ({symbol})", "Isolation ({symbol})"),
    "index.isolation.meaning": (
        "Den typiske kommunale boligen ligger i et område der {p} av boligene er kommunale.",
        "The typical municipal unit lies in an area where {p} of dwellings are municipal."),
    "index.exposure.name": ("Eksponering ({symbol})", "Exposure ({symbol})"),
    "index.exposure.meaning": (
        "Den typiske kommunale boligen ligger i et område der {p} av boligene er andre boliger.",
        "The typical municipal unit lies in an area where {p} of dwellings are other dwellings."),
    "index.gini.name": ("Gini-koeffisient", "Gini coefficient"),
    "index.gini.meaning": (
        "{symbol} = {v}: 0 er helt jevn fordeling, 1 er all konsentrasjon i ett område.",
        "{symbol} = {v}: 0 is a perfectly even spread, 1 is all concentration in one area."),
    "index.theil.name": ("Theils entropiindeks ({symbol})", "Theil's entropy index ({symbol})"),
    "index.theil.meaning": (
        "{symbol} = {v}: områdene er i snitt {p} mindre blandet enn kommunen som helhet.",
        "{symbol} = {v}: areas are on average {p} less mixed than the municipality as a whole."),
    "index.spatial_dissimilarity.name": ("Romlig ulikhetsindeks ({symbol})",
                                         "Spatial dissimilarity ({symbol})"),
    "index.spatial_dissimilarity.meaning": (
        "{symbol} = {v}: ulikheten som står igjen når nabolag med lik andel regnes som ett; "
        "nær D betyr at klyngene strekker seg over flere områder.",
        "{symbol} = {v}: the unevenness left when neighbouring areas with similar shares are "
        "taken together; close to D means clusters span several areas."),
    "index.unknown": (
        "Kan ikke beregnes: ingen kommunale boliger denne dagen, eller ingen områder med kjent "
        "boligtall.",
        "Cannot be computed: no municipal units on that date, or no areas with known dwellings."),
    # --- purchase pages ---
    "purchase.title": ("Kjøpstest: hva skjer om kommunen kjøper her?",
                       "Purchase test: what if the municipality buys here?"),
    "purchase.intro": (
        "Velg stedet ved å klikke i kartet, søke opp en adresse eller skrive inn koordinater. "
        "Testen endrer ikke registeret.",
        "Pick the place by clicking the map, searching for an address or typing coordinates. "
        "The test does not change the register.",
    ),
    "purchase.one": ("Én kandidat", "One candidate"),
    "purchase.no_systems": ("Det finnes ingen områdeinndeling ennå. Importer grunnkretser eller "
                            "et SSB-rutenett først.",
                            "There is no area system yet. Import basic statistical units or an "
                            "SSB grid first."),
    "purchase.label": ("Adresse eller navn", "Address or name"),
    "purchase.action": ("Kjøp eller salg", "Buy or sell"),
    "purchase.action.buy": ("Kjøp", "Buy"),
    "purchase.action.sell": ("Salg", "Sale"),
    "purchase.address_search": ("Søk adresse", "Search address"),
    "purchase.address_placeholder": ("f.eks. Storgata 12", "e.g. Storgata 12"),
    "purchase.address_pick": ("Velg adresse", "Pick an address"),
    "purchase.address_none": ("Fant ingen adresse for «{query}».", "No address found for “{query}”."),
    "purchase.click_hint": ("Eller klikk i kartet: koordinatene fylles inn.",
                            "Or click the map: the coordinates are filled in."),
    "purchase.dwelling": ("Boligen", "The dwelling"),
    "purchase.lift": ("Heis", "Lift"),
    "purchase.staffed": ("Bemannet", "Staffed"),
    "purchase.unknown": ("Ukjent", "Unknown"),
    "purchase.sale_unit": ("Bolig som selges", "Unit to sell"),
    "purchase.sale_price": ("Salgspris (kr)", "Sale price (NOK)"),
    "purchase.pick_point": (
        "Klikk i kartet, søk opp en adresse eller skriv inn koordinater for å teste et kjøp.",
        "Click the map, search for an address or type coordinates to test a purchase.",
    ),
    "purchase.verdict.green": ("Grønt", "Green"),
    "purchase.verdict.amber": ("Gult", "Amber"),
    "purchase.verdict.red": ("Rødt", "Red"),
    "purchase.verdict_meaning.green": ("innenfor alle tak", "within every cap"),
    "purchase.verdict_meaning.amber": ("se nærmere på begrunnelsene", "look closer at the reasons"),
    "purchase.verdict_meaning.red": ("bryter et tak eller budsjettet", "breaks a cap or the budget"),
    "purchase.reasons": ("Begrunnelser", "Reasons"),
    "purchase.before_after": ("Før og etter", "Before and after"),
    "purchase.demand": ("Behov boligen kan dekke", "Demand the dwelling could meet"),
    "purchase.no_demand": ("Ingen målgruppe med udekket behov passer boligen.",
                           "No target group with unmet demand fits the dwelling."),
    "purchase.money": ("Pris og budsjett", "Price and budget"),
    "purchase.metric_price": ("Pris", "Price"),
    "purchase.metric_budget": ("Gjenstående budsjett", "Remaining budget"),
    "purchase.budget_unset": (
        "Det er ikke satt noe årsbudsjett, så prisen sammenlignes ikke med et budsjett.",
        "No annual budget is set, so the price is not compared with a budget.",
    ),
    "purchase.budget_no_price": ("Gjenstående budsjett: {budget} (ingen pris oppgitt).",
                                 "Remaining budget: {budget} (no price given)."),
    "purchase.budget_within": ("Prisen {price} er innenfor gjenstående budsjett {budget}; "
                               "{left} blir igjen.",
                               "The price {price} is within the remaining budget of {budget}; "
                               "{left} is left."),
    "purchase.budget_exceeded": ("Prisen {price} er over gjenstående budsjett {budget} ({left}).",
                                 "The price {price} exceeds the remaining budget of {budget} "
                                 "({left})."),
    "purchase.percentage_points": ("pp", "pp"),
    "purchase.col_metric": ("Mål", "Measure"),
    "purchase.col_before": ("Før", "Before"),
    "purchase.col_after": ("Etter", "After"),
    "purchase.col_change": ("Endring", "Change"),
    "purchase.col_households_waiting": ("Husstander som venter", "Households waiting"),
    "purchase.metric.area_share": ("Kommunal andel i området", "Municipal share in the area"),
    "purchase.metric.location_quotient": ("Lokaliseringskvotient", "Location quotient"),
    "purchase.metric.within_250m": ("Kommunale boliger innen 250 m", "Municipal units within 250 m"),
    "purchase.metric.within_500m": ("Kommunale boliger innen 500 m", "Municipal units within 500 m"),
    "purchase.metric.building_count": ("Kommunale boliger i bygningen",
                                       "Municipal units in the building"),
    "purchase.col.rank": ("Rang", "Rank"),
    "purchase.col.label": ("Kandidat", "Candidate"),
    "purchase.col.action": ("Handling", "Action"),
    "purchase.col.verdict": ("Vurdering", "Verdict"),
    "purchase.col.area_code": ("Områdekode", "Area code"),
    "purchase.col.area_name": ("Område", "Area"),
    "purchase.col.price": ("Pris (kr)", "Price (NOK)"),
    "purchase.col.houses": ("Husstander den kan huse", "Households it could house"),
    "purchase.col.households_waiting": ("Husstander som venter i gruppene den passer",
                                        "Households waiting in the groups it fits"),
    "purchase.col.target_groups": ("Målgrupper den passer (husstander som venter)",
                                   "Target groups it fits (households waiting)"),
    "purchase.col.price_per_m2": ("Pris per m² (kr)", "Price per m² (NOK)"),
    "purchase.col.d_change": ("Endring i D", "Change in D"),
    "purchase.col.lon": ("Lengdegrad", "Longitude"),
    "purchase.col.lat": ("Breddegrad", "Latitude"),
    "purchase.col.reason": ("Grunn {n}", "Reason {n}"),
    "purchase.col.class": ("Vurdering", "Assessment"),
    "purchase.col.units": ("Kommunale boliger", "Municipal units"),
    "purchase.col.dwellings": ("Boliger i alt", "Dwellings"),
    "purchase.col.headroom": ("Plass under takene", "Headroom under the caps"),
    "purchase.col.demand_fit": ("Passer behovet", "Demand fit"),
    "purchase.col.groups": ("Målgrupper", "Target groups"),
    "purchase.col.target": ("Mål", "Target"),
    "purchase.col.served": ("Huses av planen", "Housed by the plan"),
    "purchase.col.unmet": ("Venter fortsatt", "Still waiting"),
    "purchase.class.green": ("Plass og godt behov", "Room and a good fit"),
    "purchase.class.amber": ("Plass, svakere behov", "Room, weaker fit"),
    "purchase.class.red": ("Ikke plass", "No room"),
    "purchase.class.unknown": ("Ukjent (mangler boligtall)", "Unknown (no dwelling count)"),
    "purchase.compare.purchases": ("Kjøp", "Purchases"),
    "purchase.compare.sales": ("Salg", "Sales"),
    "purchase.compare.cost": ("Kostnad", "Cost"),
    "purchase.compare.proceeds": ("Salgsinntekter", "Sale proceeds"),
    "purchase.compare.net_cost": ("Netto kostnad", "Net cost"),
    "purchase.compare.households_served": ("Husstander som kan huses", "Households housed"),
    "purchase.compare.areas_over_cap": ("Områder over taket", "Areas above the cap"),
    "purchase.compare.red_items": ("Røde kjøp og salg", "Red purchases and sales"),
    "purchase.layer_candidate": ("Testet kandidat", "Tested candidate"),
    "purchase.layer_ranked": ("Rangerte kandidater", "Ranked candidates"),
    "purchase.layer_where": ("Hvor kjøpe", "Where to buy"),
    "purchase.layer_others": ("Andre kandidater", "Other candidates"),
    "purchase.layer_chosen": ("Valgt i planen", "Chosen in the plan"),
    "purchase.ranked_tooltip": ("{rank}. {label} – {verdict} – {groups}",
                                "{rank}. {label} – {verdict} – {groups}"),
    "purchase.ranked_no_group": ("passer ingen målgruppe som venter",
                                 "fits no waiting group"),
    # the purchase test's reasons by group (geoplan.service.REASON_GROUPS) and the headline
    "purchase.group.breaks": ("Bryter", "Rules broken"),
    "purchase.group.passes": ("Innenfor reglene", "Rules passed"),
    "purchase.group.positives": ("Taler for kjøpet", "In favour"),
    "purchase.group.info": ("Til informasjon (påvirker ikke vurderingen)",
                            "For information (does not affect the verdict)"),
    "purchase.headline.red": ("bryter", "breaks"),
    "purchase.headline.amber": ("merk", "note"),
    "purchase.the_municipality": ("kommunen", "the municipality"),
    # typed coordinates (geoplan.crs.read_typed_point): how they were read, or why refused
    "purchase.coord_note.swapped": (
        "Bredde- og lengdegrad var byttet om; de er lest motsatt vei.",
        "Latitude and longitude were the wrong way round; they were read the other way."),
    "purchase.coord_note.utm": (
        "Tallene er UTM-koordinater (EPSG:{epsg}, nord i breddegradfeltet, øst i "
        "lengdegradfeltet) og er regnet om.",
        "The numbers are UTM coordinates (EPSG:{epsg}, north in the latitude field, east in the "
        "longitude field) and were converted."),
    "purchase.coord_note.utm_swapped": (
        "Tallene er UTM-koordinater (EPSG:{epsg}, øst i breddegradfeltet, nord i "
        "lengdegradfeltet) og er regnet om.",
        "The numbers are UTM coordinates (EPSG:{epsg}, east in the latitude field, north in the "
        "longitude field) and were converted."),
    "purchase.coord_refused.not_a_number": ("Skriv inn både breddegrad og lengdegrad som tall.",
                                            "Type both latitude and longitude as numbers."),
    # one coordinate field (geoplan.crs.read_point_text): what it understood
    "purchase.coords": ("Koordinater", "Coordinates"),
    "purchase.coords_placeholder": ("f.eks. 60,88 11,56 eller 313440 6754520",
                                    "e.g. 60.88, 11.56 or 313440 6754520"),
    "purchase.coords_help": (
        "Breddegrad og lengdegrad (60,88 11,56), eller Øst og Nord i UTM (313440 6754520; "
        "EPSG:25833, eller 25832/25835 når bare de passer). Eller klikk i kartet.",
        "Latitude and longitude (60.88, 11.56), or east and north in UTM (313440 6754520; "
        "EPSG:25833, or 25832/25835 when only those fit). Or click the map."),
    "purchase.coord_read.latlon": ("Tolket som breddegrad/lengdegrad.",
                                   "Read as latitude/longitude."),
    "purchase.coord_read.swapped": ("Tolket som lengdegrad/breddegrad (byttet om).",
                                    "Read as longitude/latitude (the other way round)."),
    "purchase.coord_read.utm_swapped": ("Tolket som Øst/Nord i EPSG:{epsg}.",
                                        "Read as east/north in EPSG:{epsg}."),
    "purchase.coord_read.utm": ("Tolket som Nord/Øst i EPSG:{epsg}.",
                                "Read as north/east in EPSG:{epsg}."),
    "purchase.coord_refused.not_two_numbers": (
        "Skriv to tall: breddegrad og lengdegrad (f.eks. 60,88 11,56) eller Øst og Nord "
        "(f.eks. 313440 6754520).",
        "Type two numbers: latitude and longitude (e.g. 60.88, 11.56) or east and north "
        "(e.g. 313440 6754520)."),
    "purchase.address_hits": ("Treff", "Matches"),
    "purchase.ranked_pick_hint": (
        "Klikk på en rad for å teste den boligen alene øverst på siden.",
        "Click a row to test that flat on its own at the top of the page."),
    "purchase.ranked_picked": ("{label} er fylt inn i kjøpstesten øverst på siden.",
                               "{label} is filled in the purchase test at the top of the page."),
    "plan.chosen_pick_hint": (
        "Klikk på en rad for å åpne kjøpstesten for den boligen.",
        "Click a row to open the purchase test for that flat."),
    "purchase.address_more": ("Skriv mer for å se flere treff.", "Type more to see more matches."),
    # the budget: one value, the policy's annual budget (service.budget_status)
    "purchase.budget_status": (
        "Årsbudsjett {annual}; brukt i {year}: {spent}; igjen: {remaining}.",
        "Annual budget {annual}; spent in {year}: {spent}; left: {remaining}."),
    "purchase.budget_where": (
        "Årsbudsjettet settes ett sted: i policyen på siden Konsentrasjon. Kjøpsplanen bruker "
        "det samme budsjettet.",
        "The annual budget is set in one place: the policy on the Concentration page. The "
        "purchase plan uses the same budget."),
    "plan.budget_from_policy": (
        "Forslaget er årsbudsjettet i policyen: {annual} (settes på siden Konsentrasjon).",
        "The default is the policy's annual budget: {annual} (set on the Concentration page)."),
    "plan.budget_unset": (
        "Det er ikke satt noe årsbudsjett i policyen (siden Konsentrasjon). Skriv et budsjett "
        "for planen.",
        "No annual budget is set in the policy (the Concentration page). Type a budget for the "
        "plan."),
    "plan.budget_needed": ("Skriv et budsjett for å lage en plan.",
                           "Type a budget to make a plan."),
    "purchase.coord_refused.not_coordinates": (
        "Tallene er verken bredde- og lengdegrad eller UTM-koordinater (EPSG:25832, 25833 eller "
        "25835) for et sted i Norge. Skriv breddegrad (f.eks. 60,88) og lengdegrad (f.eks. "
        "11,56), eller klikk i kartet.",
        "The numbers are neither latitude and longitude nor UTM coordinates (EPSG:25832, 25833 "
        "or 25835) of a place in Norway. Type a latitude (e.g. 60.88) and a longitude (e.g. "
        "11.56), or click the map."),
    "purchase.many": ("Mange kandidater", "Many candidates"),
    "purchase.upload": ("Kandidatliste (CSV eller Excel)", "Candidate list (CSV or Excel)"),
    "purchase.use_demo": ("Bruk demoens kandidatliste", "Use the demo's candidate list"),
    "purchase.source": ("Kandidatliste: {name}", "Candidate list: {name}"),
    "purchase.refused": ("{name} ble avvist ({problems}). Rett dette og last opp filen på nytt:",
                         "{name} was refused ({problems}). Fix this and upload it again:"),
    "purchase.ranked_summary": ("{n:kandidat|kandidater}: {green:grønn|grønne}, {amber:gul|gule}, "
                                "{red:rød|røde}",
                                "{n:candidate|candidates}: {green} green, {amber} amber, {red} red"),
    "purchase.file_stem": ("rangerte-kandidater", "ranked-candidates"),
    "purchase.sheet": ("Rangering", "Ranking"),
    "purchase.where": ("Hvor kjøpe", "Where to buy"),
    "purchase.where_intro": (
        "Områdene rangert etter plass under takene og hvor godt de passer det udekkede behovet.",
        "The areas ranked by headroom under the caps and how well they fit the unmet demand.",
    ),
    "purchase.show_where": ("Vis «Hvor kjøpe» i kartet", "Show “Where to buy” on the map"),
    "plan.title": ("Kjøpsplan: hva bør kommunen kjøpe?", "Purchase plan: what should the "
                   "municipality buy?"),
    "plan.intro": (
        "Optimereren velger kjøp fra kandidatlisten innenfor budsjettet og takene og prøver å nå "
        "målene per målgruppe. Planen og scenarioene endrer ikke registeret.",
        "The optimiser chooses purchases from the candidate list within the budget and the caps "
        "and tries to reach the targets per group. Plans and scenarios do not change the register.",
    ),
    "plan.candidates": ("Kandidater", "Candidates"),
    "plan.today": ("i dag", "today"),
    "plan.need_candidates": ("Last opp en kandidatliste eller bruk demoens.",
                             "Upload a candidate list or use the demo's."),
    "plan.budget": ("Budsjett (kr)", "Budget (NOK)"),
    "plan.targets": ("Mål per målgruppe (antall boliger per år)",
                     "Targets per target group (units a year)"),
    "plan.run": ("Lag plan", "Make the plan"),
    # one per geoplan.analytics.optimise.STATUSES code
    "plan.status.optimal": ("Planen er optimal.", "The plan is optimal."),
    "plan.status.targets_missed": ("Planen er optimal, men ikke alle mål nås (se hvorfor under).",
                                   "The plan is optimal, but not every target is reached (see "
                                   "why below)."),
    "plan.status.infeasible": ("Ingen plan oppfyller kravene.",
                               "No plan meets the constraints."),
    "plan.status.not_solved": ("Løseren fant ingen plan den kunne vise var best innen tidsfristen.",
                               "The solver found no plan it could prove best within the time "
                               "limit."),
    # one per geoplan.service.PlanError code ({groups}: the target groups concerned)
    "plan.error.negative_budget": ("Budsjettet kan ikke være negativt.",
                                   "The budget cannot be negative."),
    "plan.error.budget_not_a_number": ("Budsjettet må være et tall.",
                                       "The budget must be a number."),
    "plan.error.unknown_group": ("Ukjent målgruppe: {groups}.", "Unknown target group: {groups}."),
    "plan.error.negative_target": ("Et mål kan ikke være negativt: {groups}.",
                                   "A target cannot be negative: {groups}."),
    "plan.error.bad_horizon": ("En plan gjelder 1 til 4 år, med ett budsjett per år.",
                               "A plan covers 1 to 4 years, with one budget per year."),
    # --- the plan over several years and the gap (h10c) ---
    "plan.years": ("År i planen", "Years in the plan"),
    "plan.budget_per_year": ("Budsjett per år (kr)", "Budget per year (NOK)"),
    "plan.use_gap": ("Kjøp mot gapet (køen som ventes uten nye kjøp)",
                     "Buy against the gap (the queue projected without new purchases)"),
    "plan.use_gap_help": (
        "På: en målgruppe får ikke flere kjøp innen år k enn køen som ventes ved slutten av år "
        "k uten nye kjøp (rundet opp), eller målet hvis det er høyere. Av: husstandene som "
        "venter nå.",
        "On: a group gets no more purchases by year k than the queue projected at the end of "
        "year k without new purchases (rounded up), or its target if that is higher. Off: the "
        "households waiting now."),
    "plan.basis.gap": (
        "Hver målgruppe kan få så mange kjøp som køen som ventes uten nye kjøp (gapet), rundet "
        "opp, eller målet hvis det er høyere.",
        "Each group can get as many purchases as the queue projected without new purchases "
        "(the gap), rounded up, or its target if that is higher."),
    "plan.basis.waiting": ("Hver målgruppe kan få så mange kjøp som husstander som venter nå.",
                           "Each group can get as many purchases as households waiting now."),
    "plan.same_price": ("Kandidatenes priser er de samme hvert år.",
                        "The candidates' prices are the same every year."),
    "plan.by_year": ("Per år", "Per year"),
    "plan.col.year": ("År", "Year"),
    "plan.col.purchases": ("Kjøp", "Purchases"),
    "plan.col.budget": ("Budsjett (kr)", "Budget (NOK)"),
    "plan.col.cost": ("Kostnad (kr)", "Cost (NOK)"),
    "plan.col.used": ("Brukt (kr)", "Used (NOK)"),
    "plan.col.queue": ("Kø uten planen", "Queue without the plan"),
    "plan.col.queue_with_plan": ("Kø med planen", "Queue with the plan"),
    "plan.projection": ("Køen med og uten planen", "The queue with and without the plan"),
    "plan.projection_intro": (
        "Framskrivingen fra behovsmodellen: hvert kjøp huser én husstand i sitt år og leies "
        "ut igjen med målgruppens turnover senere år.",
        "The demand model's projection: each purchase houses one household in its year and is "
        "re-let at the group's turnover in later years."),
    "plan.summary_year": ("{year}: {n} kjøp for {cost} av {budget}",
                          "{year}: {n:purchase|purchases} for {cost} of {budget}"),
    "plan.summary_queue": ("{group}: kø {year} {without} uten planen, {with_plan} med",
                           "{group}: queue {year} {without} without the plan, {with_plan} with"),
    "plan.summary": ("{n} kjøp for {cost} av {money}",
                     "{n:purchase|purchases} for {cost} of {money}"),
    "plan.unpriced": ("Trenger pris (ikke med i planen)", "Needs a price (not in the plan)"),
    "plan.unpriced_intro": (
        "Disse kandidatene har ingen pris. De er ikke regnet som gratis og ikke trukket fra "
        "budsjettet: sett en pris for å ta dem med.",
        "These candidates have no price. They are not counted as free nor against the budget: "
        "give them a price to include them."),
    "plan.share_unknown": ("Andelen er ukjent (ikke med i planen)",
                           "Share unknown (not in the plan)"),
    "plan.share_unknown_intro": (
        "Disse kandidatene ligger utenfor alle områder eller i et område uten kjent boligtall. "
        "Taket på andelen kan ikke sjekkes der, så planen kjøper dem ikke.",
        "These candidates lie outside every area or in an area without a known dwelling count. "
        "The share cap cannot be checked there, so the plan does not buy them."),
    "plan.made_with": ("Laget med", "Made with"),
    "plan.made_with_budget": ("Budsjett", "Budget"),
    "plan.made_with_targets": ("Mål", "Targets"),
    "plan.not_recorded": ("ikke registrert", "not recorded"),
    "plan.no_targets": ("ingen", "none"),
    "plan.chosen": ("Valgt i planen", "Chosen in the plan"),
    "plan.none_chosen": ("Planen kjøper ingenting.", "The plan buys nothing."),
    "plan.metric_chosen": ("Kjøp", "Purchases"),
    "plan.metric_cost": ("Kostnad", "Cost"),
    "plan.metric_proceeds": ("Salgsinntekter", "Sale proceeds"),
    "plan.metric_used": ("Brukt av budsjettet {budget}", "Used of the {budget} budget"),
    "plan.metric_left": ("Igjen", "Left"),
    "plan.indices": ("Indekser før og etter", "Indices before and after"),
    "plan.demand": ("Behov dekket og udekket", "Demand served and unmet"),
    "plan.shortfalls": ("Mål som ikke nås", "Targets not reached"),
    "plan.save": ("Lagre som scenario", "Save as scenario"),
    "plan.scenario_name": ("Navn på scenarioet", "Scenario name"),
    "plan.saved": ("Lagret scenarioet «{name}». Registeret er uendret.",
                   "Saved the scenario “{name}”. The register is unchanged."),
    "plan.name_missing": ("Gi scenarioet et navn.", "Give the scenario a name."),
    "plan.scenarios": ("Scenarioer", "Scenarios"),
    "plan.no_scenarios": ("Ingen lagrede scenarioer ennå.", "No saved scenarios yet."),
    "plan.compare": ("Sammenlign scenarioer", "Compare scenarios"),
    "plan.compare_hint": ("Velg to eller flere scenarioer for å sammenligne dem med i dag.",
                          "Pick two or more scenarios to compare them with today."),
    "plan.delete_pick": ("Scenario som skal slettes", "Scenario to delete"),
    "plan.delete": ("Slett scenario", "Delete scenario"),
    "plan.deleted": ("Slettet scenarioet «{name}».", "Deleted the scenario “{name}”."),
    # --- import page ---
    "import_title": ("Importer og eksporter", "Import and export"),
    "import_intro": (
        "Last opp et register eller et kartlag. En fil med feil blir avvist i sin helhet, og "
        "ingenting i databasen endres. Filen kan ikke inneholde personopplysninger.",
        "Upload a register or a map layer. A file with any bad row is refused as a whole and "
        "nothing in the database changes. The file must not hold personal data.",
    ),
    "import_kind": ("Hva vil du importere?", "What do you want to import?"),
    "kind.units": ("Boliger (boligregister)", "Units (register)"),
    "kind.areas": ("Områder (grunnkretser, delområder …)", "Areas (grunnkretser, sub-areas …)"),
    "kind.boundary": ("Kommunegrense", "Municipal boundary"),
    "kind.demand": ("Behov (venteliste, aggregert)", "Demand (waiting list, aggregated)"),
    "kind.grid": ("SSB-rutenett med befolkning og boliger", "SSB grid with population and dwellings"),
    "kind.addresses": ("Adresseregister (Kartverket)", "Address register (Kartverket)"),
    "kind.services": ("Tjenester (skoler, barnehager …)", "Services (schools, kindergartens …)"),
    "kind.flows": ("Strømmer per år (søknader, tildelinger, frafall, gjenutleie)",
                   "Flows per year (applications, allocations, withdrawals, re-lets)"),
    "import_file": ("Fil", "File"),
    "import_file_help": (
        "CSV eller Excel (XLSX), GeoJSON, GeoPackage eller en zippet Shapefile. Dra filen hit, "
        "eller klikk for å velge den.",
        "CSV or Excel (XLSX), GeoJSON, GeoPackage or a zipped Shapefile. Drag the file here, "
        "or click to choose it."),
    "import_crs_from_file": ("Fra filen (eller gjettet ut fra koordinatene)",
                             "From the file (or guessed from the coordinates)"),
    "import_sheet_placeholder": ("Det første", "The first one"),
    "import_system": ("Navn på områdeinndelingen", "Name of the area system"),
    "import_system_from_file": ("tomt: filnavnet, f.eks. grunnkretser",
                                "empty: the file name, e.g. grunnkretser"),
    "import_grid_size": ("Rutestørrelse", "Cell size"),
    "import_crs": ("Koordinatsystem (tomt: fra filen)", "Coordinate system (empty: from the file)"),
    "import_button": ("Importer", "Import"),
    "import_done": ("Importert: {summary}", "Imported: {summary}"),
    "import_refused": (
        "{name} ble avvist, og databasen er uendret ({problems}). Rett dette i filen og prøv "
        "igjen:",
        "{name} was refused and the database is unchanged ({problems}). Fix this in the file and "
        "try again:",
    ),
    "import_sheet": ("Ark eller lag (når filen har flere)",
                     "Sheet or layer (when the file has several)"),
    "import_missing": ("Boliger i registeret som mangler i filen",
                       "Units in the register that are missing from the file"),
    "import_missing.report": ("Bare vis dem", "Only list them"),
    "import_missing.dispose": ("Avhend dem på en dato", "Dispose of them on a date"),
    "import_missing_date": ("Avhendingsdato", "Disposal date"),
    "import_missing_found": ("Mangler i filen, fortsatt aktive i registeret: {units}",
                             "Missing from the file, still active in the register: {units}"),
    "import_missing_disposed": ("Mangler i filen, avhendet {date}: {units}",
                                "Missing from the file, disposed of on {date}: {units}"),
    "export_title": ("Eksporter", "Export"),
    "export_units": ("Alle boliger (også avhendede)", "All units (disposed ones included)"),
    "export_areas": ("Områdeinndeling", "Area system"),
    "export_format": ("Format", "Format"),
    "export_button": ("Last ned", "Download"),
    # --- demand as a flow: the "Behov" page and the gap in the purchase test
    # (geoplan.ui.demand_view, geoplan.ui.wording.group_gaps)
    "page_demand": ("Behov", "Demand"),
    "demand.title": ("Behov: ventelister, tilbud og udekket behov",
                     "Demand: waiting lists, supply and unmet need"),
    "demand.intro": (
        "Tall per målgruppe, aldri en person, en søknad eller en sak: husstander som venter "
        "(siste telling), strømmer per år (nye søknader, tildelinger, frafall, gjenutleie) som "
        "snitt av de siste årene, og egnede boliger fra registeret.",
        "Figures per target group, never a person, an application or a case: households "
        "waiting (the latest count), flows per year (new applications, allocations, "
        "withdrawals, re-lets) as the mean of the last years, and suitable units from the "
        "register."),
    "demand.empty": (
        "Ingen behovstall ennå. Importer ventelister (behov) og strømmer på Import-siden.",
        "No demand figures yet. Import waiting lists (demand) and flows on the Import page."),
    "demand.date": ("Dato", "Date"),
    "demand.horizon": ("Framskriving (år)", "Projection (years)"),
    "demand.scenario": ("Scenario (lagret kjøpsplan)", "Scenario (saved purchase plan)"),
    "demand.no_scenario": ("Ingen (uten nye kjøp)", "None (no new purchases)"),
    "demand.scenario_gone": ("Scenarioet «{name}» finnes ikke lenger; tallene er uten scenario.",
                             "The scenario “{name}” no longer exists; the figures are without a "
                             "scenario."),
    "demand.snapshot": ("Husstander som venter per {date}", "Households waiting on {date}"),
    "demand.snapshot_previous": ("endring siden {date}", "change since {date}"),
    "demand.no_snapshot": ("Ingen telling av husstander som venter på eller før denne datoen.",
                           "No count of households waiting on or before this date."),
    "demand.years": ("Strømmer: snitt av {years}", "Flows: mean of {years}"),
    "demand.no_years": ("Ingen strømtall for hele år før denne datoen.",
                        "No flows for complete years before this date."),
    "demand.projection_years": ("Framskriving {first}–{last}", "Projection {first}–{last}"),
    "demand.total_waiting": ("Husstander som venter", "Households waiting"),
    "demand.total_gap": ("Udekket behov om {h}", "Unmet need in {h}"),
    "demand.no_flow_groups": ("Målgrupper uten strømtall", "Target groups without flows"),
    "demand.words": ("I korte trekk", "In brief"),
    "demand.table": ("Per målgruppe", "Per target group"),
    "demand.chart": ("Framskrevet kø", "Projected queue"),
    "demand.chart_title": ("Husstander i kø per målgruppe", "Households in the queue per group"),
    "demand.chart_axis": ("Husstander i kø", "Households in the queue"),
    "demand.chart_with": ("{group} – med «{name}»", "{group} – with “{name}”"),
    "demand.chart_note": (
        "Heltrukket linje: uten nye boliger, bare gjenutleie. Stiplet: med scenarioet, der hvert "
        "kjøp går til den passende målgruppen med størst udekket behov.",
        "Solid line: without new units, re-lets only. Dashed: with the scenario, where each "
        "purchase goes to the fitting group with the largest unmet need."),
    "demand.scenario_counts": ("Scenarioet «{name}»: {buys}.", "The scenario “{name}”: {buys}."),
    "demand.scenario_groups": ("Kjøpene går til: {groups}.", "The purchases go to: {groups}."),
    "demand.scenario_sold": ("Salgene tar boliger ut av de egnede boligene for: {groups}.",
                             "The sales take units out of the suitable stock of: {groups}."),
    "demand.unassigned": ("{n} passer ingen målgruppe og går ikke inn i noen gruppes boliger.",
                          "{n} fit no target group and enter no group's stock."),
    "demand.word.purchase": ("kjøp|kjøp", "purchase|purchases"),
    "demand.word.allocation": ("tildeling|tildelinger", "allocation|allocations"),
    "demand.word.year": ("år|år", "year|years"),
    "demand.number_words": ("ett,to,tre,fire,fem,seks,sju,åtte,ni,ti",
                            "one,two,three,four,five,six,seven,eight,nine,ten"),
    "demand.line.waiting": ("{n} venter", "{n} waiting"),
    "demand.line.waiting_unknown": ("antall som venter er ukjent",
                                    "the number waiting is unknown"),
    "demand.line.allocations": ("{n} {word} i året", "{n} {word} a year"),
    "demand.line.no_allocations": ("ingen tildelinger, så ventetiden kan ikke anslås",
                                   "no allocations, so the wait cannot be estimated"),
    "demand.line.wait": ("ventetid om lag {years}", "expected wait about {years}"),
    "demand.line.no_flows": (
        "ingen strømtall for årene som brukes, så tildelinger, ventetid og framskriving er "
        "ukjent",
        "no flows for the years used, so allocations, the wait and the projection are unknown"),
    "demand.line.grows": ("uten nye boliger vokser køen til {n} om {h}",
                          "without new units the queue grows to {n} in {h}"),
    "demand.line.shrinks": ("uten nye boliger krymper køen til {n} om {h}",
                            "without new units the queue shrinks to {n} in {h}"),
    "demand.line.stays": ("uten nye boliger holder køen seg på {n} om {h}",
                          "without new units the queue stays at {n} in {h}"),
    "demand.line.plan_shortens": ("planen korter køen til {n} om {h} (uten planen {m})",
                                  "the plan shortens the queue to {n} in {h} ({m} without it)"),
    "demand.line.plan_lengthens": ("planen øker køen til {n} om {h} (uten planen {m})",
                                   "the plan lengthens the queue to {n} in {h} ({m} without it)"),
    "demand.line.plan_same": ("planen endrer ikke køen: {n} om {h}",
                              "the plan leaves the queue at {n} in {h}"),
    "demand.col.group": ("Målgruppe", "Target group"),
    "demand.col.waiting": ("Venter", "Waiting"),
    "demand.col.trend": ("Endring", "Change"),
    "demand.col.inflow": ("Nye søknader per år (snitt)", "New applications a year (mean)"),
    "demand.col.inflow_min": ("Nye søknader per år (lavest)", "New applications a year (lowest)"),
    "demand.col.inflow_max": ("Nye søknader per år (høyest)",
                              "New applications a year (highest)"),
    "demand.col.allocations": ("Tildelinger per år", "Allocations a year"),
    "demand.col.withdrawals": ("Frafall per år", "Withdrawals a year"),
    "demand.col.stock": ("Egnede boliger", "Suitable units"),
    "demand.col.vacant": ("Ledige", "Vacant"),
    "demand.col.turnover": ("Gjenutleie per år (% av egnede)",
                            "Re-let a year (% of suitable)"),
    "demand.col.supply": ("Tilbud per år fra gjenutleie", "Supply a year from re-lets"),
    "demand.col.wait": ("Ventetid (år)", "Expected wait (years)"),
    "demand.col.need": ("Netto behov per år", "Net need a year"),
    "demand.col.gap": ("Udekket om {h}", "Unmet in {h}"),
    "demand.col.status": ("Merknad", "Note"),
    "demand.status.no_flows": ("ingen strømtall", "no flows"),
    "demand.file_stem": ("behov", "demand"),
    "demand.gap_short": ("udekket {gap}", "unmet {gap}"),
    "demand.waiting_short": ("{n} venter", "{n} waiting"),
}


def has(key: str) -> bool:
    """Return whether ``key`` is a known UI string."""
    return key in STRINGS


class _Plurals(string.Formatter):
    """``str.format`` plus plurals: ``{n:bolig|boliger}`` gives "1 bolig", "5 boliger" (the
    count, then the word for exactly one or for any other count)."""

    def __init__(self, lang: str):
        self.lang = lang

    def format_field(self, value: object, format_spec: str) -> str:
        if "|" not in format_spec:
            return super().format_field(value, format_spec)
        one, many = format_spec.split("|", 1)
        if isinstance(value, str):  # already formatted (or a template placeholder)
            return f"{value} {one if value.strip() == '1' else many}"
        from geoplan.ui.format import num

        return f"{num(value, self.lang, 0)} {one if value == 1 else many}"


def t(key: str, lang: str = DEFAULT_LANG, /, **fmt: object) -> str:
    """Return the UI string ``key`` in ``lang`` (bokmål when unknown), formatted with ``fmt``.

    A placeholder ``{n:one|many}`` gives the count with the right plural ("1 bolig",
    "5 boliger"; "1 unit", "5 units")."""
    pair = STRINGS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return _Plurals(lang).format(text, **fmt) if fmt else text


def area_system_label(system: str, lang: str = DEFAULT_LANG) -> str:
    """Return the display name of an area system, or the system's own name when not translated."""
    key = f"system.{system}"
    return t(key, lang) if has(key) else system
