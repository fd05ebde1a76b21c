"""French: the Committee's wording in its French factsheets ("fiches d'information"), and French search words.

Written like ``en.py``: each pattern says what it matches. The Committee's
French voice grades a recommendation with "exige" (require), "demande" or
"prie instamment" (request), "invite" or "encourage" (invite); its boxes are
"Actions de suivi" / "Mesures de suivi" and "Pratique(s) prometteuse(s)";
footnotes cite "Recommandation II-6" and "par. 71" / "paragraphe 71".
"""

from __future__ import annotations

import re

from .profile import LanguageProfile, suffix_stemmer

# -- a factsheet's structure -----------------------------------------------------------

STRENGTHS = {
    "exige": "require",
    "demande": "request",
    "prie instamment": "request",
    "exhorte": "request",
    "invite": "invite",
    "encourage": "invite",
}
_STRENGTH_VERBS = "|".join(v.replace(" ", r"\s+") for v in STRENGTHS)
# What may stand between "le Comité" and its verb: "le Comité de Lanzarote", "le Comité, par
# conséquent, demande", "le Comité invite donc", "le Comité demande également", "vivement".
_NAME = r"Comité(?:\s+de\s+Lanzarote)?"
_ADVERBS = (r"(?:,?\s+(?:donc|aussi|également|en\s+outre|de\s+plus|par\s+conséquent|à\s+nouveau|encore|"
            r"dès\s+lors|\w+ment),?){0,3}")
STRENGTH_VERB = re.compile(rf"\b{_NAME}{_ADVERBS}\s+(?P<verb>{_STRENGTH_VERBS})\b", re.IGNORECASE)
COMMITTEE_VOICE = re.compile(
    rf"\b(?:le|du)\s+{_NAME}{_ADVERBS}\s+(?:observe|a\s+observé|note|prend\s+note|exige|demande|prie|exhorte|"
    r"invite|encourage|renvoie|rappelle|considère|estime|salue|se\s+félicite|recommande)\b",
    re.IGNORECASE,
)
# "invite toutes les Parties, y compris la Norvège", "demande aux Parties qui ne l'ont pas encore fait".
TO_ALL_PARTIES = re.compile(
    rf"\b{_NAME}{_ADVERBS}\s+(?:{_STRENGTH_VERBS})\s+"
    r"(?:à\s+)?(?:toutes\s+les\s+|aux\s+|les\s+)(?:États\s+)?Parties\b",
    re.IGNORECASE,
)
COMMITTEE_HEADING = re.compile(
    r"^(?:observations?|recommandations?(?:\s+(?:génériques|générales))?)\b.*\bComité\b", re.IGNORECASE
)
GENERIC_HEADING = re.compile(r"^recommandations?\s+(?:génériques|générales)\b", re.IGNORECASE)
_OWNER_NAME = r"(?-i:[A-ZÀ-Þ][\w'’-]*(?:\s+(?:et|de|du|des|la|le|[A-ZÀ-Þ][\w'’-]*)){0,6})"
_BOX_OWNER = (rf"(?:\s+(?:prises?|communiquées?|menées?|rapportées?))?"
              rf"(?:\s+(?:par|de|en)\s+(?:la\s+|le\s+|l['’]\s*)?(?:(?:autorités(?:\s+\w+)?)|{_OWNER_NAME}))?")
FOLLOW_UP_TITLE = re.compile(
    rf"^(?:actions?|mesures?)\s+de\s+suivi(?:\s*\(s\))?{_BOX_OWNER}\s*:?$", re.IGNORECASE
)
PRACTICE_TITLE = re.compile(
    rf"^(?:bonnes?\s+)?pratiques?\s+(?:nationales?\s+)?prometteuses?(?:\s*\(s\))?{_BOX_OWNER}\s*:?$",
    re.IGNORECASE,
)

# -- citations -------------------------------------------------------------------------

# "Recommandation II-6", "Recommandations V-4, V-7", "Rec. III-30", "Recommandation n° II-6".
RECOMMENDATION_WORD = re.compile(
    r"\b(?:Recommandations?|Recs?(?:\.|\b))(?:\s*(?:n[°o]s?\.?|Nos?\.))?\s*", re.IGNORECASE
)
PARAGRAPH_WORD = r"Paragraphes?|Par\.|§"  # "par. 43", "paragraphes 78, 82", "§ 71"
ARTICLE_WORD = r"[Aa]rticles?|[Aa]rts?\."  # "l'article 25(1)(a-c)", "articles 5, 6 et 8": lowercase in running text
# "article 9 de la Convention de Budapest", "article 34 de celle-ci"; "de la Convention",
# "de la présente Convention" and "de la Convention de Lanzarote" are kept.
OTHER_INSTRUMENT = re.compile(
    r"\s*(?:de\s+celle-ci\b|(?:de\s+la|du|de\s+l['’])\s*"
    r"(?!(?:présente\s+)?Convention\b(?!\s+(?:de|du|sur)\s+(?!Lanzarote\b)[A-Z]))[A-Z])"
)

# -- the title page --------------------------------------------------------------------

FACTSHEET_WORD = re.compile(r"\bfiche\s+d['’]\s*information\b", re.IGNORECASE)
AUTHOR = re.compile(r"\bComité\s+de\s+Lanzarote\b", re.IGNORECASE)
ORGANISATION_WORD = re.compile(r"\b(?:Lanzarote|Comité|Conseil|Council|Convention)\b", re.IGNORECASE)
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
_MONTH_YEAR = rf"(?:{'|'.join(MONTHS)})\s+\d{{4}}"
PREPARED = re.compile(rf"\b(?:préparée?|établie?|rédigée?)\b.*?\ben\s+(?P<date>{_MONTH_YEAR})", re.IGNORECASE)
UPDATED = re.compile(rf"\bmise?\s+à\s+jour\b.*?\ben\s+(?P<date>{_MONTH_YEAR})", re.IGNORECASE)
ROUND_WORDS = {
    "premier": 1, "deuxième": 2, "second": 2, "troisième": 3, "quatrième": 4, "cinquième": 5,
    "sixième": 6, "septième": 7, "huitième": 8, "neuvième": 9, "dixième": 10,
}
ORDINAL_SUFFIX = r"ème|eme|e|er|re"
# "2e cycle de suivi", "deuxième cycle de suivi", "cycle de suivi 2", "cycle 2".
ROUND = re.compile(
    rf"\b(?:(?P<ordinal>\d{{1,2}})\s?(?:{ORDINAL_SUFFIX})|(?P<word>{'|'.join(ROUND_WORDS)}))"
    r"\s+cycle\b"
    r"|\bcycle\s+(?:de\s+suivi\s+)?(?P<number>\d{1,2})\b",
    re.IGNORECASE,
)

# -- text repair -----------------------------------------------------------------------

DANGLING_WORDS = frozenset(
    """à au aux avec dans de des du en et la le les l ou par pour que qui sur un une d son sa ses leur leurs
    ce cette ces entre sans sous vers chez""".split()
)

# -- search ----------------------------------------------------------------------------

STOPWORDS = frozenset(
    """a à au aux avec ce ces cet cette dans de des du elle elles en est et être eu il ils je la le les leur
    leurs l lui mais me même mes moi mon ne nos notre nous on ont ou où par pas pour qu que quel quelle
    quels quelles qui sa se ses son sont sur ta te tes toi ton tu un une vos votre vous y d n s c j m t
    été sont ainsi comme aussi afin dont""".split()
)

THESAURUS = {
    "ado": ("enfant", "adolescent"),
    "ados": ("enfants", "adolescents"),
    "mineur": ("enfant",),
    "mineurs": ("enfants",),
    "gamins": ("enfants",),
    "élèves": ("enfants", "élèves"),
    "prison": ("emprisonnement", "peine"),
    "punir": ("sanction", "poursuivi", "peine"),
    "sextorsion": ("extorsion", "sexuelle"),
    "internet": ("ligne", "tic"),
    "photos": ("images",),
    "vidéos": ("vidéos", "images"),
    "loi": ("législation", "code"),
    "lois": ("législation", "code"),
    "argent": ("financement", "budget", "ressources"),
    "policiers": ("police",),
    "juges": ("juges", "magistrats"),
}

# Inflections cut from a word so "poursuivis" also marks "poursuite"; the stem keeps at least MIN_STEM letters.
_SUFFIXES = ("issements", "issement", "ations", "ation", "ements", "ement", "ions", "ion", "euses", "euse",
             "eurs", "eur", "ités", "ité", "ives", "ive", "ifs", "if", "ées", "ée", "és", "é", "es", "er",
             "ez", "s", "e")
MIN_STEM = 4

stem = suffix_stemmer(_SUFFIXES, MIN_STEM)


# -- telling the language --------------------------------------------------------------

MARKERS = frozenset(
    """le la les de des du et à en un une est que qui pour dans sur par au aux ne pas été ont
    comité parties enfants enfant recommandation recommandations demande invite exige observe
    actions suivi pratiques prometteuses mesures""".split()
)

PROFILE = LanguageProfile(
    code="fr",
    name="French",
    markers=MARKERS,
    strengths=STRENGTHS,
    strength_verb=STRENGTH_VERB,
    committee_voice=COMMITTEE_VOICE,
    to_all_parties=TO_ALL_PARTIES,
    committee_heading=COMMITTEE_HEADING,
    generic_heading=GENERIC_HEADING,
    follow_up_title=FOLLOW_UP_TITLE,
    practice_title=PRACTICE_TITLE,
    recommendation_word=RECOMMENDATION_WORD,
    paragraph_word=PARAGRAPH_WORD,
    article_word=ARTICLE_WORD,
    and_word="et",
    or_word="ou",
    to_word="à",
    other_instrument=OTHER_INSTRUMENT,
    factsheet_word=FACTSHEET_WORD,
    author=AUTHOR,
    organisation_word=ORGANISATION_WORD,
    prepared=PREPARED,
    updated=UPDATED,
    round_words=ROUND_WORDS,
    ordinal_suffix=ORDINAL_SUFFIX,
    round=ROUND,
    dangling_words=DANGLING_WORDS,
    stopwords=STOPWORDS,
    thesaurus=THESAURUS,
    stem=stem,
    min_stem=MIN_STEM,
)
