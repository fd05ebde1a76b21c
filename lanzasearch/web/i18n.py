"""The page in English and French: one catalogue of every label, and the language a request asks for.

Component labels go to the browser as ``gr.I18n`` keys (``t("search.button")``)
and Gradio's frontend translates them in the browser's language. What the
server renders itself (messages, counts, the model note) is translated here
with ``text(lang, key)``, the language read from the request: ``?lang=fr`` /
``?lang=en`` (the header's EN/FR switch) first, else the browser's
Accept-Language. ``LOCALE_SCRIPT`` makes the switch reach Gradio's frontend
too: it runs before the app and answers the browser-language question with
the language the URL names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import gradio as gr

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"

EN: dict[str, str] = {
    "app.tagline": "The Lanzarote Committee's country factsheets and the Lanzarote Convention, "
                   "searchable by meaning and by words.",
    "tab.search": "Search", "tab.compare": "Compare countries", "tab.recs": "Recommendations",
    "tab.parties": "Parties", "tab.matrix": "Matrix", "tab.docs": "Documents",
    "search.question": "Question",
    "search.placeholder": "Ask in your own words, e.g. training for judges on self-generated images",
    "search.button": "Search", "search.to_compare": "Compare countries →", "search.examples": "Example questions",
    "filter.country": "Country", "filter.countries": "Countries", "filter.all_when_empty": "all when empty",
    "filter.section": "Section", "filter.kind": "Kind", "filter.strength": "Strength", "filter.mode": "Mode",
    "filter.mode_info": "hybrid = meaning + exact words", "mode.hybrid": "Hybrid", "mode.dense": "Meaning",
    "mode.lexical": "Words", "filter.results": "Results", "filter.history": "Include earlier versions",
    "filter.history_info": "of factsheets replaced by an update", "filter.follow": "Follow-up",
    "follow.any": "Any", "follow.with": "Has follow-up", "follow.without": "Has none",
    "download.csv": "↓ Download CSV", "download.xlsx": "↓ Excel (.xlsx)",
    "compare.intro": "Each country's best passages side by side, for a question or a recommendation id such as **II-6**.",
    "compare.query": "Question or recommendation id", "compare.placeholder": "e.g. training for judges, or II-6",
    "compare.button": "Compare", "compare.kinds": "Kinds of passage",
    "compare.kinds_info": "default: follow-up actions and promising practices",
    "compare.per_country": "Passages per country", "recs.recommendation": "Recommendation",
    "parties.intro": "One Party at a glance: its recommendations by section and strength, which have a follow-up, "
                     "its promising practices. Choose a second Party to put the two side by side.",
    "parties.party": "Party", "parties.other": "Compare with",
    "matrix.intro": "Recommendations down the side, the Parties across: what each Party's factsheet shows for each "
                    "recommendation. Download it as CSV or as an Excel workbook with one sheet per section.",
    "matrix.statuses": "Rows where some Party's cell is", "matrix.parties": "Parties",
    "docs.refresh": "↻ Refresh",
    "docs.read_only": "**Read-only.** Uploading, deleting and rebuilding need staff credentials. To enable them, "
                      "start the app with `LANZASEARCH_ADMIN_USER` and `LANZASEARCH_ADMIN_PASSWORD` set in its "
                      "environment. Searching never needs a login.",
    "docs.staff": "### Staff actions\nEach action checks the staff credentials. Searching keeps answering "
                  "from the last committed index while an ingest runs.",
    "docs.user": "Staff user", "docs.password": "Password", "docs.upload": "Upload documents",
    "docs.party": "Party (optional: overrides the title page for every file)", "docs.party_placeholder": "e.g. Norway",
    "docs.round": "Round (optional)", "docs.round_placeholder": "e.g. 2", "docs.ingest": "Upload and ingest",
    "docs.rebuild": "Rebuild index", "docs.delete_doc": "Document to delete", "docs.delete": "Delete document",
    "docs.versions": "### Versions and what changed\nAn updated factsheet keeps the one it replaced as history.",
    "docs.document": "Document",
    # Rendered by the server (text()): messages, counts, notes.
    "msg.search_title": "Search the archive",
    "msg.search_body": "Type a question above, or pick an example. Filters narrow the results.",
    "msg.compare_title": "Compare countries",
    "msg.compare_body": "Type a question or a recommendation id, then press Compare.",
    "msg.no_match": "No passages match",
    "msg.no_match_body": "Try other words, a broader question, or fewer filters (country, section, kind, strength).",
    "msg.weak": "Nothing answers this closely; nearest passages:",
    "msg.count_one": "{n} passage", "msg.count_many": "{n} passages", "msg.for": " for “{query}”",
    "msg.empty_title": "Type a question",
    "msg.empty_body": "Ask in your own words, e.g. “training for judges”, or pick an example.",
    "msg.not_built": "The archive is not built yet", "msg.bad_filter": "A filter value is not in the archive",
    "msg.denied": "Not allowed", "msg.failed": "That did not work",
    "note.english_model": "This archive was built with {model}, an English-only model: French questions will "
                          "find weak matches. Ask in English, or rebuild the archive with "
                          "`lanzasearch ingest --rebuild --model multilingual-e5-small`.",
    "card.similar": "Similar in other Parties", "card.similar_title": "passages of other Parties close in meaning to this one",
    "card.copy_link": "Copy link", "card.copy_link_title": "copy a link that reopens this view",
    "card.copy_citation": "Copy citation", "card.copy_citation_title": "copy the citation", "card.cite": "Cite:",
    "kind.observation": "Observation", "kind.recommendation": "Recommendation",
    "kind.generic_recommendation": "Generic recommendation", "kind.follow_up": "Follow-up action",
    "kind.promising_practice": "Promising practice", "kind.article": "Convention article",
    "kind.introduction": "Introduction", "kind.preamble": "Convention preamble", "kind.text": "Text",
    "compare.none_title": "No countries to compare",
    "compare.none_body": "The archive holds no country factsheet yet: ingest one in the Documents tab.",
    "compare.nothing": "Nothing relevant in {country}'s factsheet ({kinds}).", "compare.all_kinds": "all kinds of passages",
    "similar.head": "Similar in other Parties", "similar.to": "to",
    "similar.none_title": "No close passage in another Party",
    "similar.none_body": "Other Parties' factsheets say nothing close to this passage, or the archive holds one Party only.",
    "switch.label": "Language",
}

FR: dict[str, str] = {
    "app.tagline": "Les fiches pays du Comité de Lanzarote et la Convention de Lanzarote, "
                   "consultables par le sens et par les mots.",
    "tab.search": "Recherche", "tab.compare": "Comparer les pays", "tab.recs": "Recommandations",
    "tab.parties": "Parties", "tab.matrix": "Matrice", "tab.docs": "Documents",
    "search.question": "Question",
    "search.placeholder": "Posez votre question, p. ex. formation des juges aux images autoproduites",
    "search.button": "Rechercher", "search.to_compare": "Comparer les pays →", "search.examples": "Exemples de questions",
    "filter.country": "Pays", "filter.countries": "Pays", "filter.all_when_empty": "tous si vide",
    "filter.section": "Section", "filter.kind": "Type", "filter.strength": "Force", "filter.mode": "Mode",
    "filter.mode_info": "hybride = sens + mots exacts", "mode.hybrid": "Hybride", "mode.dense": "Sens",
    "mode.lexical": "Mots", "filter.results": "Résultats", "filter.history": "Inclure les versions antérieures",
    "filter.history_info": "des fiches remplacées par une mise à jour", "filter.follow": "Suivi",
    "follow.any": "Tous", "follow.with": "Avec suivi", "follow.without": "Sans suivi",
    "download.csv": "↓ Télécharger le CSV", "download.xlsx": "↓ Excel (.xlsx)",
    "compare.intro": "Les meilleurs passages de chaque pays côte à côte, pour une question ou un numéro de "
                     "recommandation comme **II-6**.",
    "compare.query": "Question ou numéro de recommandation", "compare.placeholder": "p. ex. formation des juges, ou II-6",
    "compare.button": "Comparer", "compare.kinds": "Types de passage",
    "compare.kinds_info": "par défaut : actions de suivi et pratiques prometteuses",
    "compare.per_country": "Passages par pays", "recs.recommendation": "Recommandation",
    "parties.intro": "Une Partie d'un coup d'œil : ses recommandations par section et par force, celles qui ont un "
                     "suivi, ses pratiques prometteuses. Choisissez une seconde Partie pour comparer les deux.",
    "parties.party": "Partie", "parties.other": "Comparer avec",
    "matrix.intro": "Les recommandations en lignes, les Parties en colonnes : ce que la fiche de chaque Partie montre "
                    "pour chaque recommandation. Téléchargez-la en CSV ou en classeur Excel, une feuille par section.",
    "matrix.statuses": "Lignes où la case d'une Partie est", "matrix.parties": "Parties",
    "docs.refresh": "↻ Actualiser",
    "docs.read_only": "**Lecture seule.** Déposer, supprimer et reconstruire demandent des identifiants du personnel. "
                      "Pour les activer, lancez l'application avec `LANZASEARCH_ADMIN_USER` et "
                      "`LANZASEARCH_ADMIN_PASSWORD` dans son environnement. La recherche ne demande jamais de connexion.",
    "docs.staff": "### Actions du personnel\nChaque action vérifie les identifiants. La recherche continue de "
                  "répondre depuis le dernier index validé pendant une ingestion.",
    "docs.user": "Utilisateur", "docs.password": "Mot de passe", "docs.upload": "Déposer des documents",
    "docs.party": "Partie (facultatif : remplace la page de titre pour chaque fichier)",
    "docs.party_placeholder": "p. ex. Norvège", "docs.round": "Cycle (facultatif)", "docs.round_placeholder": "p. ex. 2",
    "docs.ingest": "Déposer et ingérer", "docs.rebuild": "Reconstruire l'index",
    "docs.delete_doc": "Document à supprimer", "docs.delete": "Supprimer le document",
    "docs.versions": "### Versions et changements\nUne fiche mise à jour garde celle qu'elle remplace comme historique.",
    "docs.document": "Document",
    "msg.search_title": "Rechercher dans l'archive",
    "msg.search_body": "Tapez une question ci-dessus, ou choisissez un exemple. Les filtres affinent les résultats.",
    "msg.compare_title": "Comparer les pays",
    "msg.compare_body": "Tapez une question ou un numéro de recommandation, puis appuyez sur Comparer.",
    "msg.no_match": "Aucun passage ne correspond",
    "msg.no_match_body": "Essayez d'autres mots, une question plus large, ou moins de filtres (pays, section, type, force).",
    "msg.weak": "Rien ne répond de près ; passages les plus proches :",
    "msg.count_one": "{n} passage", "msg.count_many": "{n} passages", "msg.for": " pour « {query} »",
    "msg.empty_title": "Tapez une question",
    "msg.empty_body": "Posez votre question, p. ex. « formation des juges », ou choisissez un exemple.",
    "msg.not_built": "L'archive n'est pas encore construite", "msg.bad_filter": "Une valeur de filtre n'est pas dans l'archive",
    "msg.denied": "Non autorisé", "msg.failed": "Cela n'a pas fonctionné",
    "note.english_model": "Cette archive a été construite avec {model}, un modèle anglais seulement : les questions "
                          "en français trouveront de faibles correspondances. Posez-la en anglais, ou reconstruisez "
                          "l'archive avec `lanzasearch ingest --rebuild --model multilingual-e5-small`.",
    "card.similar": "Semblables dans d'autres Parties",
    "card.similar_title": "passages d'autres Parties proches par le sens de celui-ci",
    "card.copy_link": "Copier le lien", "card.copy_link_title": "copier un lien qui rouvre cette vue",
    "card.copy_citation": "Copier la citation", "card.copy_citation_title": "copier la citation", "card.cite": "Citer :",
    "kind.observation": "Constat", "kind.recommendation": "Recommandation",
    "kind.generic_recommendation": "Recommandation générale", "kind.follow_up": "Action de suivi",
    "kind.promising_practice": "Pratique prometteuse", "kind.article": "Article de la Convention",
    "kind.introduction": "Introduction", "kind.preamble": "Préambule de la Convention", "kind.text": "Texte",
    "compare.none_title": "Aucun pays à comparer",
    "compare.none_body": "L'archive ne contient encore aucune fiche pays : ingérez-en une dans l'onglet Documents.",
    "compare.nothing": "Rien de pertinent dans la fiche de {country} ({kinds}).",
    "compare.all_kinds": "tous les types de passages",
    "similar.head": "Semblables dans d'autres Parties", "similar.to": "à",
    "similar.none_title": "Aucun passage proche dans une autre Partie",
    "similar.none_body": "Les fiches des autres Parties ne disent rien de proche de ce passage, ou l'archive ne contient "
                         "qu'une seule Partie.",
    "switch.label": "Langue",
}

CATALOGUE: Mapping[str, Mapping[str, str]] = {"en": EN, "fr": FR}
I18N = gr.I18n(**{lang: dict(entries) for lang, entries in CATALOGUE.items()})
# Keys whose English and French are rightly the same word (checked by the tests).
SAME_IN_BOTH = frozenset({
    "tab.parties", "tab.docs", "search.question", "filter.section", "filter.mode", "msg.count_one", "msg.count_many",
    "download.xlsx", "matrix.parties", "docs.document", "kind.introduction",
})

# Runs first in the page: a ``?lang=`` in the URL is the browser language Gradio's frontend sees.
LOCALE_SCRIPT = """<script>(function () {
  var lang = new URLSearchParams(window.location.search).get('lang');
  if (lang !== 'en' && lang !== 'fr') return;
  Object.defineProperty(Navigator.prototype, 'language', {get: function () { return lang; }, configurable: true});
  Object.defineProperty(Navigator.prototype, 'languages', {get: function () { return [lang]; }, configurable: true});
})();</script>"""

# Words that mark a French question and are rare in an English one.
_FRENCH_MARKERS = frozenset(
    "le la les des du de d l et pour sur dans aux au une un est sont par avec qui que en ou leur leurs ces cette "
    "enfants enfant victimes juges procureurs formation".split()
)
_WORD = re.compile(r"[^\W\d_]+")


def t(key: str):
    """A component label: the key, translated by Gradio's frontend in the browser's language."""
    if key not in EN:
        raise KeyError(f"no translation for {key!r} in lanzasearch/web/i18n.py")
    return I18N(key)


def text(lang: str, key: str, **values: object) -> str:
    """A string the server renders, in ``lang`` (English for any other), with ``values`` filled in."""
    entries = CATALOGUE.get(lang, EN)
    return entries[key].format(**values) if values else entries[key]


def kind_text(lang: str, kind: str) -> str | None:
    """A passage kind's label in ``lang`` (``None`` for a kind the catalogue does not know)."""
    key = f"kind.{kind}"
    return text(lang, key) if key in EN else None


def language_of(request: "gr.Request | None") -> str:
    """The request's language: ``?lang=`` on the page, else the browser's first Accept-Language, else English."""
    if request is None:
        return DEFAULT_LANGUAGE
    chosen = (request.query_params.get("lang") or "") if request.query_params else ""
    if chosen in LANGUAGES:
        return chosen
    accept = (request.headers.get("accept-language") or "") if request.headers else ""
    first = accept.split(",")[0].split(";")[0].strip().lower()[:2]
    return first if first in LANGUAGES else DEFAULT_LANGUAGE


def looks_french(query: str) -> bool:
    """True when at least two words and a quarter of the question are French marker words."""
    words = [w.casefold() for w in _WORD.findall(query or "")]
    markers = sum(w in _FRENCH_MARKERS for w in words)
    return markers >= 2 and markers * 4 >= len(words)


def english_only(model_name: str) -> bool:
    """Whether the archive's embedding model reads English only: every model we ship but a multilingual one."""
    return "multilingual" not in (model_name or "").casefold()


def switch_html(lang: str) -> str:
    """The header's EN/FR links; the current language is marked, the other reloads the page in it."""
    def link(code: str) -> str:
        current = ' current" aria-current="true' if code == lang else ""
        return f'<a href="?lang={code}" class="ls-lang{current}" hreflang="{code}" data-lang="{code}">{code.upper()}</a>'

    links = [link(code) for code in LANGUAGES]
    return f'<nav class="ls-lang-switch" aria-label="{text(lang, "switch.label")}">{" · ".join(links)}</nav>'
