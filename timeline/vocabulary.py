"""The codebook's event types in the reader's language.

Event types are rows editors may add, but the site's set is a small,
versioned vocabulary (the codebook) that readers meet everywhere: the
filters (counted from the memory-mapped facet index), chips, page titles,
cards, share images and /data/. Their names and definitions are therefore
catalog entries (locale/<lang>/LC_MESSAGES/django.po), looked up by the
English text at display time: no query, no column per language, no change to
the facet index, and every cache already keyed by language holds the result.
A type an editor adds or renames reads in English in French and German until
its translation joins the catalog (tests/test_i18n.py checks that every type
of the demo story has one).
"""

from django.utils.translation import pgettext, pgettext_lazy

# The demo story's types (event_types in timeline/demo/story.toml), for makemessages: name,
# plural (for page titles such as “Bans or restrictions in Germany”) and definition.
CATALOG = [
    pgettext_lazy("event type", "Arrest"),
    pgettext_lazy("event type, plural", "Arrest"),
    pgettext_lazy(
        "event type definition", "A person is detained or arrested by police or a security service in connection with the story."
    ),
    pgettext_lazy("event type", "Ban or restriction"),
    pgettext_lazy("event type, plural", "Ban or restriction"),
    pgettext_lazy(
        "event type definition",
        "A government or regulator excludes or limits a supplier, product or service in a market, a network or a public body. "
        "The stage says whether it is considered, announced, in effect or lifted.",
    ),
    pgettext_lazy("event type", "Procurement review"),
    pgettext_lazy("event type, plural", "Procurement review"),
    pgettext_lazy(
        "event type definition",
        "A buyer (an operator or a public body) says it is reviewing, or pausing, purchases from a supplier; nothing final is decided.",
    ),
    pgettext_lazy("event type", "Procurement decision"),
    pgettext_lazy("event type, plural", "Procurement decision"),
    pgettext_lazy(
        "event type definition",
        "A buyer decides which suppliers it will or will not use for a network, a part of a network or a contract.",
    ),
    pgettext_lazy("event type", "Investigation or report"),
    pgettext_lazy("event type, plural", "Investigation or report"),
    pgettext_lazy(
        "event type definition",
        "An inquiry, evaluation or report by a legislature, an agency, an oversight body or a group of states is opened or published.",
    ),
    pgettext_lazy("event type", "Official statement"),
    pgettext_lazy("event type, plural", "Official statement"),
    pgettext_lazy(
        "event type definition",
        "A speech, interview, statement or joint declaration by an official or an institution that does not by itself impose a binding "
        "measure.",
    ),
    pgettext_lazy("event type", "Security warning"),
    pgettext_lazy("event type, plural", "Security warning"),
    pgettext_lazy(
        "event type definition",
        "A security or intelligence agency formally warns that a supplier's products or services pose a risk.",
    ),
    pgettext_lazy("event type", "Legislation"),
    pgettext_lazy("event type, plural", "Legislation"),
    pgettext_lazy(
        "event type definition",
        "A law, executive order, regulation, parliamentary resolution or formal recommendation is proposed, adopted, signed or "
        "published. Drafts and proposals have the stage “under consideration”.",
    ),
    pgettext_lazy("event type", "Sanction or export control"),
    pgettext_lazy("event type, plural", "Sanction or export control"),
    pgettext_lazy(
        "event type definition",
        "A trade restriction on a company is imposed, extended, relaxed or lifted: entity listings, denial orders and the licences "
        "that qualify them.",
    ),
    pgettext_lazy("event type", "Court ruling"),
    pgettext_lazy("event type, plural", "Court ruling"),
    pgettext_lazy("event type definition", "A court decides a case or a motion in it."),
    pgettext_lazy("event type", "Lawsuit"),
    pgettext_lazy("event type, plural", "Lawsuit"),
    pgettext_lazy("event type definition", "A company, person or government files a civil or constitutional claim in court."),
    pgettext_lazy("event type", "Criminal charges"),
    pgettext_lazy("event type, plural", "Criminal charges"),
    pgettext_lazy(
        "event type definition",
        "Prosecutors file or unseal charges, a defendant pleads guilty, or extradition proceedings are formally opened.",
    ),
    pgettext_lazy("event type", "Commercial decision"),
    pgettext_lazy("event type, plural", "Commercial decision"),
    pgettext_lazy(
        "event type definition",
        "A company suspends, resumes or limits business with a supplier or customer for legal or political reasons, "
        "outside a network procurement: licences, components, handset sales.",
    ),
]


def type_name(name):
    """An event type's name in the active language (the editor's text when the catalog has none)."""
    return pgettext("event type", name)


def type_definition(definition):
    return pgettext("event type definition", definition) if definition else ""
