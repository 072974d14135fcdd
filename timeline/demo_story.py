"""The launch story as plain data: European governments and operators turning away
from Huawei network equipment, 2012-2019, with the events around them.

Loaded by `manage.py load_demo`. Nothing here imports Django: every value is a
string, a list or a dict, so editors can review the story as a document.

Conventions
- Dates are "YYYY-MM-DD". With "month" precision the date is the 1st of the
  month; with "year" precision it is 1 January.
- A source URL is given only where the address is known exactly; otherwise "".
  Source titles are the document's or article's own title.
- Quotes are verbatim, typos included, from the seed article or from a
  well-known public statement.
- The seed article is an unattributed trade-press piece; it is cited by its
  title, with no date or URL because it carries none.
"""

SEED_ARTICLE = {
    "title": "Another Setback For Telecom Chinese Suppliers",
    "publisher": "Telecom trade press",
    "url": "",
    "date": None,
}

EVENT_TYPES = [
    {
        "slug": "arrest",
        "name": "Arrest",
        "definition": "A person is detained or arrested by police or a security service in connection with the story.",
    },
    {
        "slug": "ban-or-restriction",
        "name": "Ban or restriction",
        "definition": (
            "A government or regulator excludes or limits a supplier, product or service in a market, a network or a public body. "
            "The stage says whether it is considered, announced, in effect or lifted."
        ),
    },
    {
        "slug": "procurement-review",
        "name": "Procurement review",
        "definition": (
            "A buyer (an operator or a public body) says it is reviewing, or pausing, purchases from a supplier; nothing final is decided."
        ),
    },
    {
        "slug": "procurement-decision",
        "name": "Procurement decision",
        "definition": "A buyer decides which suppliers it will or will not use for a network, a part of a network or a contract.",
    },
    {
        "slug": "investigation-or-report",
        "name": "Investigation or report",
        "definition": (
            "An inquiry, evaluation or report by a legislature, an agency, an oversight body or a group of states is opened or published."
        ),
    },
    {
        "slug": "official-statement",
        "name": "Official statement",
        "definition": (
            "A speech, interview, statement or joint declaration by an official or an institution that does not by itself impose a binding "
            "measure."
        ),
    },
    {
        "slug": "security-warning",
        "name": "Security warning",
        "definition": "A security or intelligence agency formally warns that a supplier's products or services pose a risk.",
    },
    {
        "slug": "legislation",
        "name": "Legislation",
        "definition": (
            "A law, executive order, regulation, parliamentary resolution or formal recommendation is proposed, adopted, signed or "
            "published. "
            "Drafts and proposals have the stage “under consideration”."
        ),
    },
    {
        "slug": "sanction-or-export-control",
        "name": "Sanction or export control",
        "definition": (
            "A trade restriction on a company is imposed, extended, relaxed or lifted: entity listings, denial orders and the licences "
            "that qualify them."
        ),
    },
    {
        "slug": "court-ruling",
        "name": "Court ruling",
        "definition": "A court decides a case or a motion in it.",
    },
    {
        "slug": "lawsuit",
        "name": "Lawsuit",
        "definition": "A company, person or government files a civil or constitutional claim in court.",
    },
    {
        "slug": "criminal-charges",
        "name": "Criminal charges",
        "definition": "Prosecutors file or unseal charges, a defendant pleads guilty, or extradition proceedings are formally opened.",
    },
    {
        "slug": "commercial-decision",
        "name": "Commercial decision",
        "definition": (
            "A company suspends, resumes or limits business with a supplier or customer for legal or political reasons, "
            "outside a network procurement: licences, components, handset sales."
        ),
    },
]

TOPICS = [
    {"slug": "5g", "name": "5G"},
    {"slug": "core-network", "name": "core network"},
    {"slug": "radio-access-network", "name": "radio access network"},
    {"slug": "handsets", "name": "handsets"},
    {"slug": "export-controls", "name": "export controls"},
    {"slug": "sanctions", "name": "sanctions"},
    {"slug": "government-procurement", "name": "government procurement"},
    {"slug": "espionage", "name": "espionage"},
    {"slug": "supply-chain", "name": "supply chain"},
    {"slug": "critical-infrastructure", "name": "critical infrastructure"},
    {"slug": "chips-and-software", "name": "chips and software"},
    {"slug": "litigation", "name": "litigation"},
]

ACTORS = [
    # Companies and operators
    {"slug": "huawei", "name": "Huawei Technologies", "kind": "company", "country": "CN"},
    {"slug": "zte", "name": "ZTE Corporation", "kind": "company", "country": "CN"},
    {"slug": "google", "name": "Google", "kind": "company", "country": "US"},
    {"slug": "arm", "name": "Arm", "kind": "company", "country": "GB"},
    {"slug": "bt", "name": "BT Group", "kind": "operator", "country": "GB"},
    {"slug": "ee", "name": "EE", "kind": "operator", "country": "GB"},
    {"slug": "vodafone", "name": "Vodafone Group", "kind": "operator", "country": "GB"},
    {"slug": "orange", "name": "Orange", "kind": "operator", "country": "FR"},
    {"slug": "deutsche-telekom", "name": "Deutsche Telekom", "kind": "operator", "country": "DE"},
    {"slug": "spark-nz", "name": "Spark New Zealand", "kind": "operator", "country": "NZ"},
    {"slug": "nbn-co", "name": "NBN Co", "kind": "operator", "country": "AU"},
    {"slug": "ntt-docomo", "name": "NTT Docomo", "kind": "operator", "country": "JP"},
    {"slug": "kddi", "name": "KDDI", "kind": "operator", "country": "JP"},
    {"slug": "softbank", "name": "SoftBank", "kind": "operator", "country": "JP"},
    {"slug": "tdc", "name": "TDC", "kind": "operator", "country": "DK"},
    {"slug": "ericsson", "name": "Ericsson", "kind": "company", "country": "SE"},
    # People
    {"slug": "meng-wanzhou", "name": "Meng Wanzhou", "kind": "person", "country": "CN"},
    {"slug": "alex-younger", "name": "Alex Younger", "kind": "person", "country": "GB"},
    {"slug": "stephane-richard", "name": "Stéphane Richard", "kind": "person", "country": "FR"},
    {"slug": "andrus-ansip", "name": "Andrus Ansip", "kind": "person", "country": "EE"},
    {"slug": "andrej-babis", "name": "Andrej Babiš", "kind": "person", "country": "CZ"},
    {"slug": "tor-mikkel-wara", "name": "Tor Mikkel Wara", "kind": "person", "country": "NO"},
    {"slug": "nikolai-astrup", "name": "Nikolai Astrup", "kind": "person", "country": "NO"},
    {"slug": "theresa-may", "name": "Theresa May", "kind": "person", "country": "GB"},
    {"slug": "gavin-williamson", "name": "Gavin Williamson", "kind": "person", "country": "GB"},
    {"slug": "mike-pence", "name": "Mike Pence", "kind": "person", "country": "US"},
    {"slug": "mike-pompeo", "name": "Mike Pompeo", "kind": "person", "country": "US"},
    {"slug": "mateusz-morawiecki", "name": "Mateusz Morawiecki", "kind": "person", "country": "PL"},
    {"slug": "arne-schonbohm", "name": "Arne Schönbohm", "kind": "person", "country": "DE"},
    # United States
    {"slug": "us-government", "name": "United States government", "kind": "government", "country": "US"},
    {"slug": "white-house", "name": "The White House", "kind": "government", "country": "US"},
    {"slug": "us-congress", "name": "United States Congress", "kind": "legislature", "country": "US"},
    {
        "slug": "us-house-intelligence-committee",
        "name": "U.S. House Permanent Select Committee on Intelligence",
        "kind": "legislature",
        "country": "US",
    },
    {
        "slug": "us-senate-intelligence-committee",
        "name": "U.S. Senate Select Committee on Intelligence",
        "kind": "legislature",
        "country": "US",
    },
    {
        "slug": "us-commerce-bis",
        "name": "U.S. Department of Commerce, Bureau of Industry and Security (BIS)",
        "kind": "agency",
        "country": "US",
    },
    {"slug": "us-doj", "name": "U.S. Department of Justice", "kind": "agency", "country": "US"},
    {"slug": "fbi", "name": "Federal Bureau of Investigation (FBI)", "kind": "agency", "country": "US"},
    {"slug": "fcc", "name": "Federal Communications Commission (FCC)", "kind": "agency", "country": "US"},
    {"slug": "us-district-court-edtx", "name": "U.S. District Court for the Eastern District of Texas", "kind": "court", "country": "US"},
    # Canada, Australia, New Zealand, Japan
    {"slug": "canada-government", "name": "Government of Canada", "kind": "government", "country": "CA"},
    {"slug": "canada-doj", "name": "Department of Justice Canada", "kind": "agency", "country": "CA"},
    {"slug": "australia-government", "name": "Australian Government", "kind": "government", "country": "AU"},
    {"slug": "nz-gcsb", "name": "Government Communications Security Bureau (GCSB)", "kind": "agency", "country": "NZ"},
    {"slug": "japan-government", "name": "Government of Japan", "kind": "government", "country": "JP"},
    # United Kingdom
    {"slug": "uk-government", "name": "UK Government", "kind": "government", "country": "GB"},
    {"slug": "uk-dcms", "name": "Department for Digital, Culture, Media and Sport (DCMS)", "kind": "government", "country": "GB"},
    {"slug": "uk-isc", "name": "Intelligence and Security Committee of Parliament", "kind": "legislature", "country": "GB"},
    {"slug": "hcsec-oversight-board", "name": "HCSEC Oversight Board", "kind": "agency", "country": "GB"},
    {"slug": "mi6", "name": "Secret Intelligence Service (MI6)", "kind": "agency", "country": "GB"},
    {"slug": "ncsc-uk", "name": "National Cyber Security Centre (NCSC)", "kind": "agency", "country": "GB"},
    # Continental Europe
    {"slug": "ccb", "name": "Centre for Cybersecurity Belgium (CCB)", "kind": "agency", "country": "BE"},
    {"slug": "nukib", "name": "Czech National Cyber and Information Security Agency (NÚKIB)", "kind": "agency", "country": "CZ"},
    {"slug": "czech-government", "name": "Government of the Czech Republic", "kind": "government", "country": "CZ"},
    {"slug": "czech-government-office", "name": "Office of the Government of the Czech Republic", "kind": "government", "country": "CZ"},
    {"slug": "bnetza", "name": "Federal Network Agency (Bundesnetzagentur)", "kind": "agency", "country": "DE"},
    {"slug": "bsi", "name": "Federal Office for Information Security (BSI)", "kind": "agency", "country": "DE"},
    {"slug": "norway-government", "name": "Government of Norway", "kind": "government", "country": "NO"},
    {"slug": "poland-abw", "name": "Internal Security Agency of Poland (ABW)", "kind": "agency", "country": "PL"},
    {"slug": "poland-government", "name": "Government of Poland", "kind": "government", "country": "PL"},
    {"slug": "france-parliament", "name": "Parliament of France", "kind": "legislature", "country": "FR"},
    {"slug": "france-government", "name": "Government of France", "kind": "government", "country": "FR"},
    {"slug": "italy-government", "name": "Government of Italy", "kind": "government", "country": "IT"},
    # EU institutions and international bodies: no country of their own
    {"slug": "european-commission", "name": "European Commission", "kind": "organisation", "country": ""},
    {"slug": "european-parliament", "name": "European Parliament", "kind": "legislature", "country": ""},
    {"slug": "council-of-the-eu", "name": "Council of the European Union", "kind": "organisation", "country": ""},
    {"slug": "nis-cooperation-group", "name": "NIS Cooperation Group", "kind": "organisation", "country": ""},
    {"slug": "enisa", "name": "European Union Agency for Cybersecurity (ENISA)", "kind": "agency", "country": ""},
    {"slug": "nato", "name": "NATO", "kind": "organisation", "country": ""},
]

MEASURES = [
    {
        "slug": "uk-limits-on-huawei-in-5g",
        "title": "UK limits on Huawei in 5G networks",
        "description": "Whether, and how far, the UK government restricts Huawei equipment in its 5G networks.",
    },
    {
        "slug": "us-federal-ban-on-huawei-equipment",
        "title": "US federal ban on Huawei equipment",
        "description": (
            "Section 889 of the 2019 defence authorization act: federal agencies may not buy Huawei and ZTE telecommunications "
            "equipment or services, and later may not contract with companies that use them."
        ),
    },
    {
        "slug": "us-export-controls-on-huawei",
        "title": "US export controls on Huawei",
        "description": "Huawei's listing on the US Entity List and the temporary licences that qualify it.",
    },
    {
        "slug": "us-export-restrictions-on-zte",
        "title": "US export restrictions on ZTE",
        "description": (
            "US export restrictions on ZTE over its sales to Iran, from the 2016 entity listing to the 2018 denial order and its lifting."
        ),
    },
    {
        "slug": "us-subsidy-ban-on-huawei-and-zte",
        "title": "US ban on subsidised purchases of Huawei and ZTE equipment",
        "description": (
            "The FCC rule barring Universal Service Fund money for equipment from companies designated as national security threats."
        ),
    },
    {
        "slug": "australia-5g-vendor-restrictions",
        "title": "Australia 5G vendor restrictions",
        "description": (
            "Australia's exclusion, without naming them, of vendors subject to extrajudicial directions from a foreign government from 5G "
            "networks."
        ),
    },
    {
        "slug": "czech-restrictions-on-huawei",
        "title": "Czech restrictions on Huawei",
        "description": "The Czech cyber agency's warning against Huawei and ZTE and the steps public bodies took after it.",
    },
    {
        "slug": "eu-common-approach-to-5g-security",
        "title": "EU common approach to 5G security",
        "description": (
            "The EU's coordinated handling of 5G security risks, including supplier risk: from Parliament's call to the Commission "
            "recommendation and its follow-up."
        ),
    },
    {
        "slug": "german-telecom-security-requirements",
        "title": "German security requirements for telecoms networks",
        "description": (
            "Germany's revised catalogue of security requirements for telecoms networks, its answer to the debate on Huawei in 5G."
        ),
    },
    {
        "slug": "france-authorisation-of-5g-equipment",
        "title": "French prior authorisation of 5G network equipment",
        "description": (
            "The law of 1 August 2019: operators of vital importance need the Prime Minister's prior authorisation, on defence and "
            "national security grounds, to operate the 5G radio equipment that connects users to their networks."
        ),
    },
    {
        "slug": "italy-golden-power-over-5g",
        "title": "Italian golden power over 5G supply contracts",
        "description": (
            "The Italian government's special powers to veto, or set conditions on, contracts for 5G network goods and services with "
            "suppliers from outside the EU."
        ),
    },
    {
        "slug": "belgium-huawei-ban-review",
        "title": "Belgian review of a ban on Huawei",
        "description": (
            "Whether Belgium should keep Huawei out of its market, as assessed by the Centre for Cybersecurity Belgium for the prime "
            "minister."
        ),
    },
    {
        "slug": "poland-5g-supplier-vetting",
        "title": "Polish vetting of 5G suppliers",
        "description": (
            "Poland's commitment, in its 2019 joint declaration with the United States, to evaluate 5G suppliers rigorously, including "
            "whether they are subject to control by a foreign government."
        ),
    },
    {
        "slug": "norway-5g-supplier-measures",
        "title": "Norwegian measures on 5G suppliers",
        "description": "Norway's consideration of requirements on operators and their equipment suppliers ahead of 5G.",
    },
]

EVENTS = [
    # ------------------------------------------------------------------ 2012
    {
        "slug": "australia-bars-huawei-from-nbn-tenders",
        "title": "Australia bars Huawei from National Broadband Network tenders",
        "summary": (
            "Australia's government blocked Huawei from tendering for equipment contracts on the National Broadband Network, "
            "on advice from the Australian Security Intelligence Organisation. The exclusion, of which Huawei had been told in late 2011, "
            "became public through an Australian Financial Review report on 24 March, in which the Attorney-General's office said it had "
            "a responsibility to protect the network's integrity. The government confirmed the decision on 26 March, when Prime Minister "
            "Julia Gillard called it prudent."
        ),
        "body": "",
        "date": "2012-03-24",
        "precision": "day",
        "end_date": None,
        "type": "ban-or-restriction",
        "stage": "",
        "measure": None,
        "jurisdictions": ["AU"],
        "actors": [["australia-government", "initiator"], ["huawei", "target"], ["nbn-co", "involved"]],
        "topics": ["critical-infrastructure", "government-procurement"],
        "status": "published",
        "sources": [
            {
                "title": "China’s Huawei banned from NBN",
                "publisher": "Australian Financial Review",
                "url": "http://www.afr.com/p/technology/china_giant_banned_from_nbn_9U9zi1oc3FXBF3BZdRD9mJ",
                "date": "2012-03-24",
                "quote": (
                    "As a strategic and significant government investment, we have a responsibility to do our utmost to protect "
                    "[the NBN’s] integrity and that of the information carried on it"
                ),
            },
            {
                "title": "Huawei’s NBN exclusion ‘prudent’: PM",
                "publisher": "Australian Financial Review",
                "url": "http://www.afr.com/p/national/huawei_nbn_exclusion_prudent_pm_FbKOKk2uPLKcRvlGHXFf6I",
                "date": "2012-03-26",
            },
            {
                "title": "Huawei blocked over cyber attack concerns",
                "publisher": "ABC Radio National, RN Breakfast",
                "url": "http://www.abc.net.au/radionational/programs/breakfast/huawei-blocked-over-cyber-attack-concerns/3912354",
                "date": "2012-03-26",
            },
            {
                "title": "Government bans Huawei from NBN tenders",
                "publisher": "Business Spectator",
                "url": "http://www.businessspectator.com.au/news/2012/3/26/technology/government-bans-huawei-nbn-tenders",
                "date": "2012-03-26",
            },
            {
                "title": "Australia shuts Huawei out of national network",
                "publisher": "ZDNet",
                "url": "https://www.zdnet.com/article/australia-shuts-huawei-out-of-national-network/",
                "date": None,
            },
        ],
    },
    {
        "slug": "us-house-intelligence-committee-report-on-huawei-and-zte",
        "title": "US House Intelligence Committee report calls Huawei and ZTE a security risk",
        "summary": (
            "After a year-long investigation, the House Permanent Select Committee on Intelligence concluded that Huawei and ZTE "
            "could not be trusted to be free of Chinese state influence. It recommended keeping their equipment out of US government "
            "systems and urged US network providers to seek other vendors."
        ),
        "body": (
            "The report, by Chairman Mike Rogers and Ranking Member C.A. Dutch Ruppersberger, followed a public hearing with "
            "Huawei and ZTE executives in September 2012. Among its recommendations:\n\n"
            "- the Committee on Foreign Investment in the United States should block acquisitions, takeovers or mergers involving Huawei "
            "and ZTE;\n"
            "- US government systems, particularly sensitive ones, should not include Huawei or ZTE equipment, including component parts;\n"
            "- private-sector companies should consider the long-term security risks of doing business with either company.\n\n"
            "The report is the starting point of the US exclusion of Huawei that European governments were later urged to follow."
        ),
        "date": "2012-10-08",
        "precision": "day",
        "end_date": None,
        "type": "investigation-or-report",
        "stage": "",
        "measure": None,
        "jurisdictions": ["US"],
        "actors": [["us-house-intelligence-committee", "initiator"], ["huawei", "target"], ["zte", "target"]],
        "topics": ["espionage", "government-procurement", "supply-chain"],
        "status": "published",
        "sources": [
            {
                "title": (
                    "Investigative Report on the U.S. National Security Issues Posed by Chinese Telecommunications Companies Huawei and ZTE"
                ),
                "publisher": "U.S. House of Representatives, Permanent Select Committee on Intelligence",
                "url": "",
                "date": "2012-10-08",
                "quote": (
                    "Huawei and ZTE cannot be trusted to be free of foreign state influence and thus pose a security threat "
                    "to the United States and to our systems."
                ),
            },
            {
                **SEED_ARTICLE,
                "quote": (
                    "Huawei has been blocked in the U.S. since 2012 when the House Intelligence Committee report found it was a security "
                    "risk "
                    "and recommended that the government and private companies stop purchasing its network equipment."
                ),
            },
        ],
    },
    {
        "slug": "canada-invokes-national-security-exception-for-government-network",
        "title": "Canada invokes a national security exception for its secure government network",
        "summary": (
            "A spokesman for Prime Minister Stephen Harper said the government had invoked the national security exception in trade "
            "agreements for building its secure communications network, letting it exclude suppliers it considers a risk. Asked about "
            "Huawei, he left it to reporters to judge whether the company should be part of that system; the statement came a day after "
            "the US House report."
        ),
        "body": "",
        "date": "2012-10-09",
        "precision": "day",
        "end_date": None,
        "type": "procurement-decision",
        "stage": "",
        "measure": None,
        "jurisdictions": ["CA"],
        "actors": [["canada-government", "initiator"], ["huawei", "target"]],
        "topics": ["government-procurement", "critical-infrastructure"],
        "status": "published",
        "sources": [
            {
                "title": "Canada moves to exclude Huawei",
                "publisher": "Australian Financial Review",
                "url": "http://www.afr.com/business/canada-moves-to-exclude-huawei-20121010-j1mv9",
                "date": "2012-10-10",
            },
            {
                "title": "Will Huawei be excluded from Canada's gov. network?",
                "publisher": "ZDNet",
                "url": "https://www.zdnet.com/article/will-huawei-be-excluded-from-canadas-gov-network/",
                "date": None,
            },
        ],
    },
    # ------------------------------------------------------------------ 2013-2017
    {
        "slug": "uk-isc-report-on-foreign-involvement-in-critical-infrastructure",
        "title": "UK Intelligence and Security Committee criticises how Huawei entered BT's network",
        "summary": (
            "The Intelligence and Security Committee of Parliament reported on foreign involvement in the UK's critical national "
            "infrastructure, centred on Huawei's 2005 contract to supply equipment for BT's network upgrade. It found that officials "
            "had not told ministers about the deal until 2006, after it was signed, and that national security issues risked being "
            "overlooked."
        ),
        "body": "",
        "date": "2013-06-06",
        "precision": "day",
        "end_date": None,
        "type": "investigation-or-report",
        "stage": "",
        "measure": None,
        "jurisdictions": ["GB"],
        "actors": [["uk-isc", "initiator"], ["huawei", "target"], ["bt", "involved"], ["uk-government", "involved"]],
        "topics": ["critical-infrastructure", "supply-chain"],
        "status": "published",
        "sources": [
            {
                "title": "Foreign involvement in the Critical National Infrastructure: The implications for national security (Cm 8629)",
                "publisher": "Intelligence and Security Committee of Parliament",
                "url": "",
                "date": "2013-06-06",
            },
            {
                "title": (
                    "BT and Huawei case highlights security concerns over foreign investment in infrastructure, says Parliamentary "
                    "committee"
                ),
                "publisher": "Out-Law News (Pinsent Masons)",
                "url": (
                    "https://www.pinsentmasons.com/out-law/news/"
                    "bt-and-huawei-case-highlights-security-concerns-over-foreign-investment-in-infrastructure-says-parliamentary-committee"
                ),
                "date": "2013-06-07",
            },
        ],
    },
    {
        "slug": "hcsec-oversight-board-first-annual-report",
        "title": "HCSEC Oversight Board publishes its first annual report",
        "summary": (
            "The Oversight Board of the Huawei Cyber Security Evaluation Centre, set up in early 2014 on the recommendation of the UK "
            "National Security Adviser and chaired by GCHQ's Ciaran Martin, reported for the first time. The Banbury centre, opened by "
            "Huawei in 2010, evaluates the security of Huawei products used in UK networks."
        ),
        "body": "",
        "date": "2015-03-01",
        "precision": "month",
        "end_date": None,
        "type": "investigation-or-report",
        "stage": "",
        "measure": None,
        "jurisdictions": ["GB"],
        "actors": [["hcsec-oversight-board", "initiator"], ["huawei", "target"]],
        "topics": ["critical-infrastructure", "supply-chain"],
        "status": "published",
        "sources": [
            {
                "title": "Huawei Cyber Security Evaluation Centre (HCSEC) Oversight Board: 1st Annual Report 2015",
                "publisher": "HCSEC Oversight Board, report to the UK National Security Adviser",
                "url": "",
                "date": None,
            },
        ],
    },
    {
        "slug": "us-adds-zte-to-entity-list",
        "title": "US Commerce Department adds ZTE to the Entity List",
        "summary": (
            "The Bureau of Industry and Security placed ZTE and three affiliated companies on the Entity List over a scheme to re-export "
            "US-origin goods to Iran through shell companies, so that US exports to them needed a licence, generally to be denied. "
            "Announced on 7 March, the rule took effect on 8 March. A temporary general licence, extended several times, let most trade "
            "with ZTE continue while the case was settled."
        ),
        "body": "",
        "date": "2016-03-08",
        "precision": "day",
        "end_date": None,
        "type": "sanction-or-export-control",
        "stage": "in_effect",
        "measure": "us-export-restrictions-on-zte",
        "jurisdictions": ["US"],
        "actors": [["us-commerce-bis", "initiator"], ["zte", "target"]],
        "topics": ["export-controls", "sanctions"],
        "status": "published",
        "sources": [
            {
                "title": "Additions to the Entity List",
                "publisher": "U.S. Department of Commerce, Bureau of Industry and Security (Federal Register, vol. 81, no. 45, p. 12004)",
                "url": "",
                "date": "2016-03-08",
            },
            {
                "title": "U.S. restricts China's ZTE over alleged export violations over Iran",
                "publisher": "Reuters",
                "url": "http://www.reuters.com/article/zte-usa-idUSL1N16F0GW",
                "date": "2016-03-07",
            },
            {
                "title": "U.S. curbs China's ZTE exports over Iran business allegations",
                "publisher": "Reuters",
                "url": "http://ca.reuters.com/article/businessNews/idCAKCN0W90VV",
                "date": "2016-03-07",
            },
        ],
    },
    {
        "slug": "hcsec-oversight-board-2016-report",
        "title": "HCSEC Oversight Board publishes its second annual report",
        "summary": (
            "The board's second report to the UK National Security Adviser covered the Huawei Cyber Security Evaluation Centre's fifth "
            "year of operation. GCHQ leads for the government in dealing with the centre and with Huawei on technical security matters."
        ),
        "body": "",
        "date": "2016-05-01",
        "precision": "month",
        "end_date": None,
        "type": "investigation-or-report",
        "stage": "",
        "measure": None,
        "jurisdictions": ["GB"],
        "actors": [["hcsec-oversight-board", "initiator"], ["huawei", "target"]],
        "topics": ["critical-infrastructure", "supply-chain"],
        "status": "published",
        "sources": [
            {
                "title": "Huawei Cyber Security Evaluation Centre (HCSEC) Oversight Board Annual Report 2016",
                "publisher": "HCSEC Oversight Board, report to the UK National Security Adviser",
                "url": "",
                "date": None,
            },
        ],
    },
    {
        "slug": "zte-agrees-to-plead-guilty-to-iran-sanctions-violations",
        "title": "ZTE agrees to plead guilty to violating US sanctions on Iran",
        "summary": (
            "ZTE agreed to plead guilty to conspiring to ship US-origin items to Iran, obstructing justice and making a material false "
            "statement. With settlements reached at the same time with the Commerce and Treasury departments, it agreed to pay about "
            "$892 million, with a further $300 million suspended on condition that it complied."
        ),
        "body": "",
        "date": "2017-03-07",
        "precision": "day",
        "end_date": None,
        "type": "criminal-charges",
        "stage": "",
        "measure": None,
        "jurisdictions": ["US"],
        "actors": [["us-doj", "initiator"], ["zte", "target"], ["us-commerce-bis", "involved"]],
        "topics": ["sanctions", "export-controls"],
        "status": "published",
        "sources": [
            {
                "title": (
                    "ZTE Corporation Agrees to Plead Guilty and Pay Over $430.4 Million for Violating U.S. Sanctions "
                    "by Sending U.S.-Origin Items to Iran"
                ),
                "publisher": "U.S. Department of Justice, Office of Public Affairs",
                "url": "",
                "date": "2017-03-07",
            },
        ],
    },
    # ------------------------------------------------------------------ 2018
    {
        "slug": "us-intelligence-chiefs-warn-against-huawei-and-zte-phones",
        "title": "US intelligence chiefs warn Americans against Huawei and ZTE phones",
        "summary": (
            "At the Senate Intelligence Committee's worldwide threats hearing, the heads of six US intelligence agencies, including the "
            "FBI, CIA and NSA, indicated they would not recommend that private citizens use Huawei or ZTE products. FBI Director "
            "Christopher Wray said companies beholden to foreign governments could gain positions of power inside US telecoms networks."
        ),
        "body": "",
        "date": "2018-02-13",
        "precision": "day",
        "end_date": None,
        "type": "security-warning",
        "stage": "",
        "measure": None,
        "jurisdictions": ["US"],
        "actors": [["fbi", "initiator"], ["us-senate-intelligence-committee", "involved"], ["huawei", "target"], ["zte", "target"]],
        "topics": ["handsets", "espionage"],
        "status": "published",
        "sources": [
            {
                "title": "Open Hearing on Worldwide Threats",
                "publisher": "U.S. Senate Select Committee on Intelligence",
                "url": "",
                "date": "2018-02-13",
            },
            {
                "title": "Six top US intelligence chiefs caution against buying Huawei phones",
                "publisher": "CNBC",
                "url": "",
                "date": "2018-02-13",
                "quote": (
                    "We're deeply concerned about the risks of allowing any company or entity that is beholden to foreign governments "
                    "that don't share our values to gain positions of power inside our telecommunications networks."
                ),
            },
        ],
    },
    {
        "slug": "us-activates-zte-denial-order",
        "title": "US activates an export denial order against ZTE",
        "summary": (
            "The Commerce Department activated a suspended seven-year denial of export privileges against ZTE, finding that the company "
            "had made false statements about disciplining employees under its 2017 settlement. US companies could no longer sell ZTE "
            "components or software."
        ),
        "body": "",
        "date": "2018-04-15",
        "precision": "day",
        "end_date": None,
        "type": "sanction-or-export-control",
        "stage": "in_effect",
        "measure": "us-export-restrictions-on-zte",
        "jurisdictions": ["US"],
        "actors": [["us-commerce-bis", "initiator"], ["zte", "target"]],
        "topics": ["export-controls", "sanctions", "supply-chain"],
        "status": "published",
        "sources": [
            {
                "title": (
                    "Order Activating Suspended Denial Order Relating to Zhongxing Telecommunications Equipment Corporation "
                    "and ZTE Kangxun Telecommunications Ltd."
                ),
                "publisher": "U.S. Department of Commerce, Bureau of Industry and Security",
                "url": "",
                "date": "2018-04-15",
            },
            {
                "title": "Commerce Suspends Export Privileges of Chinese Telecom Giant ZTE",
                "publisher": "Wiley Rein",
                "url": "https://www.wiley.law/alert-Client_Alert-CommerceSuspendsExportPrivilegesofChineseTelecomGiantZTE",
                "date": "2018-04-16",
            },
        ],
    },
    {
        "slug": "uk-ncsc-warns-telecoms-operators-against-zte",
        "title": "UK cyber security centre warns telecoms operators against ZTE",
        "summary": (
            "The National Cyber Security Centre wrote to UK telecoms operators, the regulator Ofcom and ZTE that the national security "
            "risks of using ZTE equipment or services in the existing UK telecoms infrastructure could not be mitigated. Its technical "
            "director, Ian Levy, said that adding equipment from another Chinese supplier to networks already containing much Huawei "
            "equipment would render existing mitigations ineffective; the letter followed the US denial order against ZTE."
        ),
        "body": "",
        "date": "2018-04-16",
        "precision": "day",
        "end_date": None,
        "type": "security-warning",
        "stage": "",
        "measure": None,
        "jurisdictions": ["GB"],
        "actors": [["ncsc-uk", "initiator"], ["zte", "target"]],
        "topics": ["critical-infrastructure", "supply-chain"],
        "status": "published",
        "sources": [
            {
                "title": "NCSC warns on use of ZTE equipment and services",
                "publisher": "National Technology News",
                "url": "http://nationaltechnology.co.uk/NCSC-Levy-ZTE.php",
                "date": None,
                "quote": (
                    "NCSC assess that the national security risks arising from the use of ZTE equipment or services within the context "
                    "of the existing UK telecommunications infrastructure cannot be mitigated."
                ),
            },
            {
                "title": "NCSC Warns ZTE Poses ‘Risk To UK National Security’",
                "publisher": "Silicon UK",
                "url": "https://www.silicon.co.uk/security/ncsc-zte-risk-uk-national-security-231421",
                "date": None,
                "quote": (
                    "Adding in new equipment and services from another Chinese supplier would render our existing mitigations ineffective"
                ),
            },
        ],
    },
    {
        "slug": "fcc-proposes-ban-on-subsidised-purchases-from-security-threats",
        "title": "FCC proposes barring subsidies for equipment from suppliers that threaten national security",
        "summary": (
            "The Federal Communications Commission unanimously proposed to prohibit the use of Universal Service Fund money to buy "
            "equipment or services from companies that pose a national security risk to communications networks. The proposal named no "
            "company; it opened the rulemaking that later designated Huawei and ZTE."
        ),
        "body": "",
        "date": "2018-04-17",
        "precision": "day",
        "end_date": None,
        "type": "legislation",
        "stage": "considered",
        "measure": "us-subsidy-ban-on-huawei-and-zte",
        "jurisdictions": ["US"],
        "actors": [["fcc", "initiator"]],
        "topics": ["supply-chain", "critical-infrastructure"],
        "status": "published",
        "sources": [
            {
                "title": (
                    "Protecting Against National Security Threats to the Communications Supply Chain Through FCC Programs "
                    "(WC Docket No. 18-89), Notice of Proposed Rulemaking"
                ),
                "publisher": "Federal Communications Commission",
                "url": "",
                "date": "2018-04-17",
            },
        ],
    },
    {
        "slug": "us-lifts-zte-denial-order",
        "title": "US lifts its export ban on ZTE",
        "summary": (
            "The Commerce Department lifted the denial order after ZTE paid a $1 billion penalty and placed $400 million in escrow under "
            "a new settlement reached in June. ZTE replaced its board and senior management and accepted compliance coordinators "
            "answerable to the department for ten years."
        ),
        "body": "",
        "date": "2018-07-13",
        "precision": "day",
        "end_date": None,
        "type": "sanction-or-export-control",
        "stage": "lifted",
        "measure": "us-export-restrictions-on-zte",
        "jurisdictions": ["US"],
        "actors": [["us-commerce-bis", "initiator"], ["zte", "target"]],
        "topics": ["export-controls", "sanctions"],
        "status": "published",
        "sources": [
            {
                "title": "Commerce Department Lifts Ban on Chinese Telecom Giant ZTE",
                "publisher": "The Daily Beast",
                "url": "https://thedailybeast.com/commerce-department-lifts-ban-on-chinese-telecom-giant-zte",
                "date": "2018-07-13",
            },
        ],
    },
    {
        "slug": "hcsec-oversight-board-2018-report-limited-assurance",
        "title": "HCSEC Oversight Board can give only limited assurance on Huawei risks",
        "summary": (
            "The board's 2018 report found shortcomings in Huawei's engineering processes that had exposed new risks in UK telecoms "
            "networks. It told the National Security Adviser it could provide only limited assurance that all risks to UK national "
            "security from Huawei's involvement had been sufficiently mitigated."
        ),
        "body": "",
        "date": "2018-07-19",
        "precision": "day",
        "end_date": None,
        "type": "investigation-or-report",
        "stage": "",
        "measure": None,
        "jurisdictions": ["GB"],
        "actors": [["hcsec-oversight-board", "initiator"], ["huawei", "target"]],
        "topics": ["critical-infrastructure", "supply-chain"],
        "status": "published",
        "sources": [
            {
                "title": "Huawei Cyber Security Evaluation Centre (HCSEC) Oversight Board Annual Report 2018",
                "publisher": "HCSEC Oversight Board, report to the UK National Security Adviser",
                "url": "",
                "date": "2018-07-19",
                "quote": (
                    "only limited assurance that all risks to UK national security from Huawei's involvement in the UK's critical "
                    "networks have been sufficiently mitigated"
                ),
            },
        ],
    },
    {
        "slug": "us-defence-act-section-889-bars-huawei-and-zte",
        "title": "US defence act bars federal agencies from buying Huawei and ZTE equipment",
        "summary": (
            "President Trump signed the John S. McCain National Defense Authorization Act for Fiscal Year 2019. Its section 889 bars "
            "executive agencies from procuring Huawei and ZTE telecommunications equipment and services and, later, from contracting with "
            "companies that use them; the first prohibition applied one year after enactment."
        ),
        "body": "",
        "date": "2018-08-13",
        "precision": "day",
        "end_date": None,
        "type": "legislation",
        "stage": "announced",
        "measure": "us-federal-ban-on-huawei-equipment",
        "jurisdictions": ["US"],
        "actors": [["us-congress", "initiator"], ["white-house", "involved"], ["huawei", "target"], ["zte", "target"]],
        "topics": ["government-procurement", "supply-chain"],
        "status": "published",
        "sources": [
            {
                "title": "John S. McCain National Defense Authorization Act for Fiscal Year 2019 (Public Law 115-232), section 889",
                "publisher": "U.S. Congress",
                "url": "",
                "date": "2018-08-13",
            },
        ],
    },
    {
        "slug": "australia-5g-security-guidance-bars-huawei-and-zte",
        "title": "Australia's 5G security guidance effectively bars Huawei and ZTE",
        "summary": (
            "The government told carriers that using vendors likely to be subject to extrajudicial directions from a foreign government "
            "that conflict with Australian law may risk failing to protect a 5G network from unauthorised access or interference. "
            "The guidance named no company, but Huawei said it had been told that it and ZTE were banned from providing 5G technology in "
            "Australia."
        ),
        "body": "",
        "date": "2018-08-23",
        "precision": "day",
        "end_date": None,
        "type": "ban-or-restriction",
        "stage": "in_effect",
        "measure": "australia-5g-vendor-restrictions",
        "jurisdictions": ["AU"],
        "actors": [["australia-government", "initiator"], ["huawei", "target"], ["zte", "target"]],
        "topics": ["5g", "critical-infrastructure"],
        "status": "published",
        "sources": [
            {
                "title": "Government Provides 5G Security Guidance To Australian Carriers",
                "publisher": (
                    "Minister for Communications and the Arts and Acting Minister for Home Affairs (Australia), joint media release"
                ),
                "url": "",
                "date": "2018-08-23",
                "quote": (
                    "The Government considers that the involvement of vendors who are likely to be subject to extrajudicial directions "
                    "from a foreign government that conflict with Australian law, may risk failure by the carrier to adequately protect "
                    "a 5G network from unauthorised access or interference."
                ),
            },
            {
                "title": "Morrison bans Huawei from 5G mobile rollout",
                "publisher": "The Mandarin",
                "url": "https://www.themandarin.com.au/97570-morrison-bans-huawei-from-5g-mobile-rollout/",
                "date": "2018-08-23",
            },
        ],
    },
    {
        "slug": "us-urges-allies-to-avoid-huawei-equipment",
        "title": "US urges allies to keep Huawei equipment out of their networks",
        "summary": (
            "The Wall Street Journal reported that the US government had begun an extraordinary outreach campaign to persuade wireless "
            "and internet providers in allied countries to avoid Huawei equipment. US officials had briefed government counterparts and "
            "telecoms executives in countries where Huawei equipment was in wide use, including Germany, Italy and Japan, which host US "
            "military bases, and the US was considering more financial aid for telecoms development in countries that shun Chinese "
            "equipment."
        ),
        "body": "",
        "date": "2018-11-22",
        "precision": "day",
        "end_date": None,
        "type": "official-statement",
        "stage": "",
        "measure": None,
        "jurisdictions": ["US", "DE", "IT", "JP"],
        "actors": [["us-government", "initiator"], ["huawei", "target"]],
        "topics": ["5g", "critical-infrastructure"],
        "status": "published",
        "sources": [
            {
                "title": "Washington Asks Allies to Drop Huawei",
                "publisher": "The Wall Street Journal",
                "url": "",
                "date": "2018-11-22",
            },
        ],
    },
    {
        "slug": "new-zealand-gcsb-declines-spark-huawei-5g-proposal",
        "title": "New Zealand's GCSB declines Spark's plan to use Huawei 5G equipment",
        "summary": (
            "Spark New Zealand said the Government Communications Security Bureau had found that its proposal to use Huawei equipment in "
            "its planned 5G radio access network would raise significant national security risks, so that under the Telecommunications "
            "(Interception Capability and Security) Act 2013 it could not go ahead. The minister responsible said the process was ongoing "
            "and was not a ban on any company."
        ),
        "body": "",
        "date": "2018-11-28",
        "precision": "day",
        "end_date": None,
        "type": "ban-or-restriction",
        "stage": "",
        "measure": None,
        "jurisdictions": ["NZ"],
        "actors": [["nz-gcsb", "initiator"], ["spark-nz", "involved"], ["huawei", "target"]],
        "topics": ["5g", "radio-access-network"],
        "status": "published",
        "sources": [
            {
                "title": "New Zealand government agency rejects Spark's plan to use Huawei 5G equipment",
                "publisher": "Reuters",
                "url": (
                    "https://in.reuters.com/article/spark-nz-huawei-tech/"
                    "new-zealand-government-agency-rejects-sparks-plan-to-use-huawei-5g-equipment-idINKCN1NX08G"
                ),
                "date": "2018-11-28",
            },
            {
                "title": "GCSB folds under five eyes pressure",
                "publisher": "iStart",
                "url": "https://istart.co.nz/nz-news-items/gcsb-folds-huawei-ban-five-eyes-pressure/",
                "date": "2018-11-29",
                "quote": "I have informed Spark that a significant network security risk was identified.",
            },
        ],
    },
    {
        "slug": "huawei-cfo-meng-wanzhou-arrested-in-vancouver",
        "title": "Huawei CFO Meng Wanzhou arrested in Vancouver at US request",
        "summary": (
            "Canadian authorities arrested Huawei's chief financial officer, Meng Wanzhou, the daughter of founder Ren Zhengfei, at "
            "Vancouver International Airport on a provisional US extradition request for fraud. At her bail hearing on 7 December, "
            "Canadian prosecutors said she had misled banks about Huawei's control of Skycom, a company doing business in Iran, so that "
            "they cleared transactions in breach of US sanctions on Iran. Canada's Department of Justice made the arrest public on "
            "5 December."
        ),
        "body": (
            "The arrest sharpened the geopolitical conflict over Huawei just as European governments and operators were reviewing "
            "their use of its equipment. The US charges, bank fraud and wire fraud and conspiracies to commit them, were unsealed on "
            "28 January 2019."
        ),
        "date": "2018-12-01",
        "precision": "day",
        "end_date": None,
        "type": "arrest",
        "stage": "",
        "measure": None,
        "jurisdictions": ["CA", "US"],
        "actors": [["canada-government", "initiator"], ["us-doj", "involved"], ["meng-wanzhou", "target"], ["huawei", "target"]],
        "topics": ["sanctions"],
        "status": "published",
        "sources": [
            {
                **SEED_ARTICLE,
                "quote": (
                    "was arrested Dec. 1 in Canada in connection with U.S. accusations that the company violated restrictions "
                    "on sales of American technology to Iran."
                ),
            },
            {
                "title": "What we know and don’t know about the arrest of Huawei CFO Meng Wanzhou",
                "publisher": "Toronto Star (StarMetro Vancouver)",
                "url": "https://www.thestar.com/vancouver/2018/12/06/what-we-know-and-dont-know-about-the-arrest-of-huawei-cfo-meng-wanzhou.html",
                "date": "2018-12-06",
            },
            {
                "title": "Wanzhou Meng Case",
                "publisher": "Public Safety Canada (Canada Border Services Agency note in a minister's parliamentary binder)",
                "url": "http://publicsafety.gc.ca/cnt/trnsprnc/brfng-mtrls/prlmntry-bndrs/20210625/26-en.aspx",
                "date": "2021-02-08",
                "quote": "a provisional arrest warrant for her extradition to the United States for fraud (over $5,000)",
            },
            {
                "title": "Chinese Telecommunications Conglomerate Huawei and Huawei CFO Wanzhou Meng Charged With Financial Fraud",
                "publisher": "U.S. Department of Justice, Office of Public Affairs",
                "url": "",
                "date": "2019-01-28",
            },
        ],
    },
    {
        "slug": "mi6-chief-alex-younger-st-andrews-speech",
        "title": "MI6 chief Alex Younger questions Chinese ownership of UK network technology",
        "summary": (
            "In a rare public speech at the University of St Andrews, Alex Younger, Chief of the Secret Intelligence Service, said Britain "
            "needed to decide how comfortable it was with Chinese ownership of these technologies and platforms, when some allies had "
            "taken “quite a definite position”. The remark was widely read as a reference to Huawei's role in 5G."
        ),
        "body": "",
        "date": "2018-12-03",
        "precision": "day",
        "end_date": None,
        "type": "official-statement",
        "stage": "",
        "measure": None,
        "jurisdictions": ["GB"],
        "actors": [["alex-younger", "initiator"], ["mi6", "involved"]],
        "topics": ["5g", "espionage"],
        "status": "published",
        "sources": [
            {
                "title": "MI6 'C' speech on fourth generation espionage",
                "publisher": "Secret Intelligence Service (GOV.UK)",
                "url": "https://www.gov.uk/government/speeches/mi6-c-speech-on-fourth-generation-espionage",
                "date": "2018-12-03",
                "quote": "some of our allies have taken quite a definite position",
            },
            {
                **SEED_ARTICLE,
                "quote": "to decide the extent to which we are going to be comfortable with Chinese ownership of these technologies",
            },
        ],
    },
    {
        "slug": "bt-removes-huawei-from-core-of-3g-and-4g-networks",
        "title": "BT is removing Huawei equipment from the core of its 3G and 4G networks",
        "summary": (
            "BT confirmed it had been removing Huawei equipment from the core of the 3G and 4G mobile networks it acquired with EE in "
            "2016, "
            "under network architecture principles in place since 2006. Huawei was not included in vendor selection for BT's 5G core, "
            "though it remained a supplier outside the core."
        ),
        "body": "",
        "date": "2018-12-05",
        "precision": "day",
        "end_date": None,
        "type": "procurement-decision",
        "stage": "",
        "measure": None,
        "jurisdictions": ["GB"],
        "actors": [["bt", "initiator"], ["ee", "involved"], ["huawei", "target"]],
        "topics": ["core-network", "5g"],
        "status": "published",
        "sources": [
            {
                **SEED_ARTICLE,
                "quote": (
                    "British Telecom is removing Huawei equipment from key parts of its current 3G and 4G networks as part of an internal "
                    "policy not the use for core infrastructure, which will also apply to 5G networks."
                ),
            },
            {
                "title": "BT to strip China's Huawei from core networks, limit 5G access",
                "publisher": "Reuters",
                "url": "",
                "date": "2018-12-05",
                "quote": "As a result, Huawei have not been included in vendor selection for our 5G core.",
            },
        ],
    },
    {
        "slug": "ansip-says-eu-has-to-be-worried-about-huawei",
        "title": "EU Commission vice-president Ansip says Europe has to be worried about Huawei",
        "summary": (
            "Andrus Ansip, European Commission Vice-President for the Digital Single Market, told a press conference in Brussels that "
            "“we have to be worried” about Huawei and other Chinese technology companies. He cited their obligation to cooperate with "
            "Chinese intelligence services and the risk of mandatory backdoors."
        ),
        "body": "",
        "date": "2018-12-07",
        "precision": "day",
        "end_date": None,
        "type": "official-statement",
        "stage": "",
        "measure": None,
        "jurisdictions": ["EU"],
        "actors": [["andrus-ansip", "initiator"], ["european-commission", "involved"], ["huawei", "target"]],
        "topics": ["5g", "espionage"],
        "status": "published",
        "sources": [
            {
                **SEED_ARTICLE,
                "quote": (
                    "The European Union’s head of technology policies, Andrus Ansip, stated “we have to worried” about possible security "
                    "risks from Huawei"
                ),
            },
            {
                "title": "Ansip: Euroopa Liit peaks Huaweid vältima",
                "publisher": "Äripäev",
                "url": "https://www.aripaev.ee/uudised/2018/12/07/ansip-euroopa-liit-peaks-huaweid-valtima",
                "date": "2018-12-07",
            },
        ],
        "corrections": [
            {
                "date": "2025-01-15",
                "note": (
                    "The summary first gave Mr Ansip's words as “we have to worried”, as printed in the trade-press source; "
                    "he said “we have to be worried”."
                ),
            },
        ],
    },
    {
        "slug": "belgian-cybersecurity-centre-assesses-huawei-risk",
        "title": "Belgium's cybersecurity centre assesses the risk of using Huawei",
        "summary": (
            "The Centre for Cybersecurity Belgium, which reports to the prime minister, began its own risk analysis of Huawei technology "
            "to advise whether the government should keep the company out of the Belgian market. Huawei supplied network equipment to the "
            "operators Proximus and Orange Belgium."
        ),
        "body": "",
        "date": "2018-12-01",
        "precision": "month",
        "end_date": None,
        "type": "investigation-or-report",
        "stage": "considered",
        "measure": "belgium-huawei-ban-review",
        "jurisdictions": ["BE"],
        "actors": [["ccb", "initiator"], ["huawei", "target"]],
        "topics": ["5g", "critical-infrastructure"],
        "status": "published",
        "sources": [
            {**SEED_ARTICLE, "quote": "Belgium’s cybersecurity agency is considering a ban on Huawei."},
            {
                "title": "België voert onderzoek naar Chinese telecomleverancier Huawei",
                "publisher": "Het Laatste Nieuws (Belga)",
                "url": "https://www.hln.be/nieuws/binnenland/belgie-voert-onderzoek-naar-chinese-telecomleverancier-huawei~a7e3a597/",
                "date": "2018-12-07",
            },
        ],
    },
    {
        "slug": "japan-excludes-huawei-and-zte-from-government-procurement",
        "title": "Japan effectively excludes Huawei and ZTE from government procurement",
        "summary": (
            "Japan's government issued procurement guidelines to ministries and the Self-Defense Forces that require security risks to be "
            "weighed, effectively barring purchases from Huawei and ZTE without naming them. The policy was to apply to 23 government "
            "bodies from April 2019."
        ),
        "body": "",
        "date": "2018-12-10",
        "precision": "day",
        "end_date": None,
        "type": "procurement-decision",
        "stage": "",
        "measure": None,
        "jurisdictions": ["JP"],
        "actors": [["japan-government", "initiator"], ["huawei", "target"], ["zte", "target"]],
        "topics": ["government-procurement"],
        "status": "published",
        "sources": [
            {
                "title": "Japan bans Huawei and its Chinese peers from government contracts",
                "publisher": "Nikkei Asian Review",
                "url": "https://asia.nikkei.com/Economy/Trade-war/Japan-bans-Huawei-and-its-Chinese-peers-from-government-contracts",
                "date": "2018-12-10",
            },
            {
                "title": "Japan effectively bans China’s Huawei and ZTE from government contracts, joining U.S.",
                "publisher": "The Washington Post",
                "url": (
                    "https://www.washingtonpost.com/world/asia_pacific/"
                    "japan-effectively-bans-chinas-huawei-zte-from-government-contracts-joining-us/2018/12/10/"
                    "748fe98a-fc69-11e8-ba87-8c7facdf6739_story.html"
                ),
                "date": "2018-12-10",
            },
            dict(SEED_ARTICLE),
        ],
    },
    {
        "slug": "orange-will-not-use-huawei-for-sensitive-network-parts",
        "title": "Orange CEO Stéphane Richard says Orange will not use Huawei for sensitive parts of its network",
        "summary": (
            "Orange chief executive Stéphane Richard said the French operator would not use Huawei equipment for the sensitive parts of "
            "its network and did not foresee calling on Huawei for 5G. Orange later said the remarks concerned France, leaving other "
            "markets and technologies open."
        ),
        "body": "",
        "date": "2018-12-01",
        "precision": "month",
        "end_date": None,
        "type": "procurement-decision",
        "stage": "",
        "measure": None,
        "jurisdictions": ["FR"],
        "actors": [["stephane-richard", "initiator"], ["orange", "involved"], ["huawei", "target"]],
        "topics": ["5g", "core-network"],
        "status": "published",
        "sources": [
            {
                **SEED_ARTICLE,
                "quote": "France Telecom Orange CEO Stephane Richards said it will not use Huawei gear for sensitive parts of its network.",
            },
            {
                "title": "Orange Rules Out Huawei for 5G in France",
                "publisher": "Light Reading",
                "url": "https://www.lightreading.com/mobile/5g/orange-rules-out-huawei-for-5g-in-france/d/d-id/748274",
                "date": "2018-12-13",
            },
        ],
    },
    {
        "slug": "deutsche-telekom-re-evaluates-procurement-strategy",
        "title": "Deutsche Telekom says it is re-evaluating its procurement strategy",
        "summary": (
            "Deutsche Telekom, long one of Huawei's biggest supporters in Europe, said it took the global discussion about the security of "
            "network equipment from Chinese manufacturers very seriously and was re-evaluating its procurement strategy. It said it "
            "already "
            "bought from several vendors, among them Ericsson, Nokia and Cisco as well as Huawei."
        ),
        "body": "",
        "date": "2018-12-13",
        "precision": "day",
        "end_date": None,
        "type": "procurement-review",
        "stage": "",
        "measure": None,
        "jurisdictions": ["DE"],
        "actors": [["deutsche-telekom", "initiator"], ["huawei", "target"]],
        "topics": ["5g", "supply-chain"],
        "status": "published",
        "sources": [
            {
                **SEED_ARTICLE,
                "quote": (
                    "German Deutsche telekom said it will take the global discussion about security of network elements "
                    "from Chinese manufacturers very seriously."
                ),
            },
            {
                "title": "Deutsche Telekom reviews vendors in light of China security debate",
                "publisher": "Reuters",
                "url": (
                    "https://www.reuters.com/article/huawei-europe-germany/"
                    "deutsche-telekom-reviews-vendors-in-light-of-china-security-debate-idUSFWN1YI0WT"
                ),
                "date": "2018-12-14",
            },
        ],
    },
    {
        "slug": "norway-considers-requirements-on-network-operators",
        "title": "Norway considers new requirements on network operators",
        "summary": (
            "Norway's Ministry of Transport and Communications said it was considering measures to reduce the vulnerability of Norwegian "
            "electronic communications networks, which depend on a few equipment suppliers. Of the three main suppliers of base-station "
            "equipment, Ericsson, Nokia and Huawei, only Huawei comes from outside Norway's security policy sphere."
        ),
        "body": "",
        "date": "2018-12-01",
        "precision": "month",
        "end_date": None,
        "type": "ban-or-restriction",
        "stage": "considered",
        "measure": "norway-5g-supplier-measures",
        "jurisdictions": ["NO"],
        "actors": [["norway-government", "initiator"], ["huawei", "target"]],
        "topics": ["5g", "critical-infrastructure"],
        "status": "published",
        "sources": [
            {**SEED_ARTICLE, "quote": "Norway’s telecom is considering clarifying requirements from network operators."},
            {
                "title": "Huawei could be banned from Norwegian 5G development",
                "publisher": "Norway Today (NTB)",
                "url": "https://norwaytoday.info/finance/huawei-could-be-banned-from-norwegian-5g-development/",
                "date": None,
            },
        ],
    },
    {
        "slug": "japanese-carriers-exclude-huawei-and-zte-from-5g",
        "title": "Japan's three main carriers keep Huawei and ZTE out of their 5G networks",
        "summary": (
            "Kyodo News reported on 10 December that NTT Docomo, KDDI and SoftBank planned not to use Huawei and ZTE network equipment, "
            "current or 5G; SoftBank, the only one of the three with Huawei equipment in its 4G network, would replace it over time. "
            "The carriers first said no decision had been taken; later in the month the Nikkei Asian Review reported that all three had "
            "decided not to use Chinese equipment in their 5G networks."
        ),
        "body": "",
        "date": "2018-12-01",
        "precision": "month",
        "end_date": None,
        "type": "procurement-decision",
        "stage": "",
        "measure": None,
        "jurisdictions": ["JP"],
        "actors": [
            ["ntt-docomo", "initiator"],
            ["kddi", "initiator"],
            ["softbank", "initiator"],
            ["huawei", "target"],
            ["zte", "target"],
        ],
        "topics": ["5g", "supply-chain"],
        "status": "published",
        "sources": [
            {
                "title": "Japan's top three telcos to exclude Huawei, ZTE network equipment: Kyodo",
                "publisher": "Reuters",
                "url": (
                    "https://www.reuters.com/article/us-usa-china-huawei-japan/"
                    "japans-top-three-telcos-to-exclude-huawei-zte-network-equipment-kyodo-idUSKBN1O90JW"
                ),
                "date": "2018-12-10",
            },
            {
                "title": "Japan’s top 3 telcos to exclude Huawei, ZTE network equipment, according to Japanese news reports",
                "publisher": "South China Morning Post",
                "url": "https://www.scmp.com/tech/gear/article/2177385/japans-top-3-telcos-exclude-huawei-zte-network-equipment-according",
                "date": "2018-12-11",
            },
            {
                "title": "Japan's 4 carriers to shun Chinese 5G tech",
                "publisher": "Nikkei Asian Review",
                "url": "https://asia.nikkei.com/Business/Companies/Japan-s-4-carriers-to-shun-Chinese-5G-tech",
                "date": None,
            },
        ],
    },
    {
        "slug": "german-cyber-security-office-sees-no-grounds-for-huawei-ban",
        "title": "German cyber security office says a Huawei ban would need evidence it does not have",
        "summary": (
            "Arne Schönbohm, president of the Federal Office for Information Security (BSI), told Der Spiegel that a decision as serious "
            "as a ban needed evidence, and that his office had none against Huawei. Instead of excluding suppliers, the BSI examined "
            "their products, including at the security lab Huawei had opened in Bonn in November, and obtained Huawei components "
            "worldwide to test them."
        ),
        "body": "",
        "date": "2018-12-14",
        "precision": "day",
        "end_date": None,
        "type": "official-statement",
        "stage": "considered",
        "measure": "german-telecom-security-requirements",
        "jurisdictions": ["DE"],
        "actors": [["bsi", "initiator"], ["arne-schonbohm", "involved"], ["huawei", "involved"]],
        "topics": ["5g", "espionage"],
        "status": "published",
        "sources": [
            {
                "title": "5G-Netzausbau: Bundesamt spricht sich gegen Huawei-Boykott aus",
                "publisher": "Der Spiegel",
                "url": "http://www.spiegel.de/netzwelt/netzpolitik/5g-netzausbau-bsi-spricht-sich-gegen-huawei-boykott-aus-a-1243708.html",
                "date": "2018-12-14",
                "quote": "Für so gravierende Entscheidungen wie einen Bann braucht man Belege",
            },
        ],
    },
    {
        "slug": "czech-cyber-agency-warns-against-huawei-and-zte",
        "title": "Czech cyber agency warns against Huawei and ZTE",
        "summary": (
            "The Czech National Cyber and Information Security Agency (NÚKIB) issued a formal warning that software and hardware from "
            "Huawei and ZTE posed a threat to state security. The warning was addressed to operators of critical information "
            "infrastructure "
            "and important information systems, which had to take it into account in their security measures."
        ),
        "body": "",
        "date": "2018-12-17",
        "precision": "day",
        "end_date": None,
        "type": "security-warning",
        "stage": "in_effect",
        "measure": "czech-restrictions-on-huawei",
        "jurisdictions": ["CZ"],
        "actors": [["nukib", "initiator"], ["huawei", "target"], ["zte", "target"]],
        "topics": ["critical-infrastructure", "espionage", "supply-chain"],
        "status": "published",
        "sources": [
            {
                **SEED_ARTICLE,
                "quote": (
                    "the national cybersecurity agency warned that Huawei products and other Chinese telecom company could pose a security "
                    "threat."
                ),
            },
            {
                "title": "Czech Prime Minister Andrej Babiš hits back at Chinese diplomats’ Huawei and ZTE claims",
                "publisher": "South China Morning Post",
                "url": (
                    "https://www.scmp.com/news/china/diplomacy/article/2179833/czech-prime-minister-hits-back-chinese-diplomats-huawei-claims"
                ),
                "date": None,
            },
        ],
    },
    {
        "slug": "czech-prime-minister-orders-stop-to-huawei-phones",
        "title": "Czech prime minister orders the government office to stop using Huawei and ZTE phones",
        "summary": (
            "After the NÚKIB warning, Prime Minister Andrej Babiš ordered the Office of the Government to stop using Huawei and ZTE "
            "mobile phones, and several ministries followed. The Chinese embassy later said Babiš had called the step hasty; he denied "
            "saying so."
        ),
        "body": "",
        "date": "2018-12-01",
        "precision": "month",
        "end_date": None,
        "type": "ban-or-restriction",
        "stage": "in_effect",
        "measure": "czech-restrictions-on-huawei",
        "jurisdictions": ["CZ"],
        "actors": [["andrej-babis", "initiator"], ["czech-government-office", "involved"], ["huawei", "target"], ["zte", "target"]],
        "topics": ["handsets", "government-procurement"],
        "status": "published",
        "sources": [
            {
                **SEED_ARTICLE,
                "quote": "Czech Republic’s prime minister ordered its government to stop the purchase of Huawei mobile phones",
            },
            {
                "title": "Press: Czech PM met Chinese ambassador ahead of Huawei ban, later retracted",
                "publisher": "Radio Prague International",
                "url": "https://archiv.radio.cz/en/section/news/press-czech-pm-met-chinese-ambassador-ahead-of-huawei-ban-later-retracted",
                "date": None,
            },
            {
                "title": "Czech Prime Minister Andrej Babiš hits back at Chinese diplomats’ Huawei and ZTE claims",
                "publisher": "South China Morning Post",
                "url": (
                    "https://www.scmp.com/news/china/diplomacy/article/2179833/czech-prime-minister-hits-back-chinese-diplomats-huawei-claims"
                ),
                "date": None,
            },
        ],
        "corrections": [
            {"date": "2025-02-03", "note": "The order covers phones used by the Government Office, not network equipment."},
        ],
    },
    # ------------------------------------------------------------------ 2019
    {
        "slug": "poland-arrests-huawei-employee-on-espionage-charges",
        "title": "Poland arrests a Huawei employee on espionage charges",
        "summary": (
            "Poland's Internal Security Agency arrested a Chinese sales director of Huawei's Polish unit and a former Polish security "
            "official, and both were charged with spying for China. Huawei said it had dismissed the employee; Poland's interior minister "
            "called for a joint EU and NATO position on Huawei."
        ),
        "body": "",
        "date": "2019-01-08",
        "precision": "day",
        "end_date": None,
        "type": "arrest",
        "stage": "",
        "measure": None,
        "jurisdictions": ["PL"],
        "actors": [["poland-abw", "initiator"], ["huawei", "involved"]],
        "topics": ["espionage"],
        "status": "published",
        "sources": [
            {
                "title": "Huawei executive tied to espionage charges in Poland",
                "publisher": "Alliance for Securing Democracy (German Marshall Fund)",
                "url": "https://securingdemocracy.gmfus.org/?p=16743",
                "date": None,
            },
            {
                "title": "Polish Police Arrest Huawei Executive, Accused Of Spying For China",
                "publisher": "NPR",
                "url": "",
                "date": None,
            },
        ],
    },
    {
        "slug": "norway-justice-minister-considers-steps-against-huawei",
        "title": "Norway's justice minister says steps against Huawei are being considered",
        "summary": (
            "Justice Minister Tor Mikkel Wara told Reuters that Norway shared US and British concerns about espionage and was considering "
            "the steps those countries had taken, including steps against Huawei. He said the government wanted measures in place before "
            "the next round of the telecom network was built."
        ),
        "body": "",
        "date": "2019-01-01",
        "precision": "month",
        "end_date": None,
        "type": "official-statement",
        "stage": "considered",
        "measure": "norway-5g-supplier-measures",
        "jurisdictions": ["NO"],
        "actors": [["tor-mikkel-wara", "initiator"], ["norway-government", "involved"], ["huawei", "target"]],
        "topics": ["5g", "espionage"],
        "status": "published",
        "sources": [
            {
                "title": "Norway may ban Huawei from 5G network deals",
                "publisher": "TelecomLead",
                "url": "https://www.telecomlead.com/telecom-equipment/norway-may-ban-huawei-from-5g-network-deals-88296",
                "date": None,
                "quote": (
                    "We share the same concerns as the United States and Britain and that is espionage on private and state actors in "
                    "Norway"
                ),
            },
        ],
    },
    {
        "slug": "vodafone-pauses-huawei-in-european-core-networks",
        "title": "Vodafone pauses Huawei equipment in its European core networks",
        "summary": (
            "Vodafone chief executive Nick Read said the group had paused further deployment of Huawei equipment in its core networks in "
            "Europe while it engaged with security agencies, governments and Huawei. Vodafone kept using Huawei in its radio networks and "
            "said its UK core did not use Huawei equipment."
        ),
        "body": "",
        "date": "2019-01-25",
        "precision": "day",
        "end_date": None,
        "type": "procurement-review",
        "stage": "",
        "measure": None,
        "jurisdictions": ["GB", "ES"],
        "actors": [["vodafone", "initiator"], ["huawei", "target"]],
        "topics": ["core-network", "5g"],
        "status": "published",
        "sources": [
            {
                "title": "Vodafone hits the pause button on supplies of Huawei’s kit in Europe",
                "publisher": "The Times",
                "url": "https://www.thetimes.co.uk/article/vodafone-hits-the-pause-button-on-supplies-of-huawei-s-kit-in-europe-hkn5d5bn0",
                "date": "2019-01-26",
            },
            {
                "title": "Vodafone latest to put 'pause' on Huawei gear deployment",
                "publisher": "Seeking Alpha",
                "url": "https://seekingalpha.com/news/3426138-vodafone-latest-to-put-pause-on-huawei-gear-deployment",
                "date": "2019-01-25",
            },
        ],
    },
    {
        "slug": "us-charges-huawei-and-meng-wanzhou",
        "title": "US unseals criminal charges against Huawei and Meng Wanzhou",
        "summary": (
            "The Justice Department unsealed a 13-count indictment in New York charging Huawei, two affiliates and Meng Wanzhou with bank "
            "and wire fraud and Iran sanctions violations, and a 10-count indictment in Seattle charging Huawei units with stealing trade "
            "secrets from T-Mobile. The United States said it would seek Meng's extradition from Canada."
        ),
        "body": "",
        "date": "2019-01-28",
        "precision": "day",
        "end_date": None,
        "type": "criminal-charges",
        "stage": "",
        "measure": None,
        "jurisdictions": ["US"],
        "actors": [["us-doj", "initiator"], ["huawei", "target"], ["meng-wanzhou", "target"]],
        "topics": ["sanctions"],
        "status": "published",
        "sources": [
            {
                "title": "Justice Department Announces Indictments Against Huawei",
                "publisher": "Defense One",
                "url": (
                    "https://www.defenseone.com/technology/2019/01/justice-department-announces-indictments-against-huawei/154478/print/"
                ),
                "date": "2019-01-28",
            },
            {
                "title": "Indictment, United States v. Huawei Device Co., Ltd. and Huawei Device USA, Inc. (No. CR19-010 RSM)",
                "publisher": "U.S. District Court for the Western District of Washington",
                "url": "",
                "date": "2019-01-16",
            },
        ],
    },
    {
        "slug": "huawei-sues-us-government-over-section-889",
        "title": "Huawei sues the US government over the defence act's procurement ban",
        "summary": (
            "Huawei Technologies and its US subsidiary sued the United States in the federal court for the Eastern District of Texas, "
            "arguing that section 889 of the 2019 defence authorization act unconstitutionally singles the company out. The complaint "
            "invoked the Constitution's bill of attainder clause, due process and the separation of powers."
        ),
        "body": "",
        "date": "2019-03-06",
        "precision": "day",
        "end_date": None,
        "type": "lawsuit",
        "stage": "announced",
        "measure": "us-federal-ban-on-huawei-equipment",
        "jurisdictions": ["US"],
        "actors": [["huawei", "initiator"], ["us-government", "target"], ["us-district-court-edtx", "involved"]],
        "topics": ["government-procurement", "litigation"],
        "status": "published",
        "sources": [
            {
                "title": "Huawei Technologies USA, Inc. et al v. United States of America, et al (No. 4:19-cv-00159), Complaint",
                "publisher": "U.S. District Court for the Eastern District of Texas (via Justia)",
                "url": "https://docs.justia.com/cases/federal/district-courts/texas/txedce/4:2019cv00159/188186/1",
                "date": "2019-03-06",
            },
        ],
    },
    {
        "slug": "european-parliament-resolution-on-chinese-technological-presence",
        "title": "European Parliament resolution on security threats from Chinese technology",
        "summary": (
            "The European Parliament adopted a resolution on security threats connected with the rising Chinese technological presence "
            "in the EU, expressing concern about Chinese suppliers of 5G equipment. It called for action at EU level to reduce those risks."
        ),
        "body": "",
        "date": "2019-03-12",
        "precision": "day",
        "end_date": None,
        "type": "legislation",
        "stage": "considered",
        "measure": "eu-common-approach-to-5g-security",
        "jurisdictions": ["EU"],
        "actors": [["european-parliament", "initiator"]],
        "topics": ["5g", "supply-chain"],
        "status": "published",
        "sources": [
            {
                "title": (
                    "European Parliament resolution of 12 March 2019 on security threats connected with the rising Chinese technological "
                    "presence in the EU and possible action on the EU level to reduce them (2019/2575(RSP))"
                ),
                "publisher": "European Parliament (P8_TA(2019)0156)",
                "url": "",
                "date": "2019-03-12",
            },
        ],
    },
    {
        "slug": "tdc-chooses-ericsson-over-huawei-for-5g",
        "title": "Denmark's TDC chooses Ericsson over Huawei for its 5G network",
        "summary": (
            "TDC, Denmark's largest telecoms group, said it had chosen Ericsson to build and deploy its 5G network after negotiating with "
            "several suppliers over the past year. Huawei, which had equipped TDC's mobile network since 2014, was to be replaced; TDC's "
            "chief executive Allison Kirkby said the choice followed a tough negotiation between two bids."
        ),
        "body": "",
        "date": "2019-03-18",
        "precision": "day",
        "end_date": None,
        "type": "procurement-decision",
        "stage": "",
        "measure": None,
        "jurisdictions": ["DK"],
        "actors": [["tdc", "initiator"], ["ericsson", "involved"], ["huawei", "target"]],
        "topics": ["5g", "radio-access-network", "core-network"],
        "status": "published",
        "sources": [
            {
                "title": "Huawei edged out in favour of Ericsson for Danish 5G network",
                "publisher": "The Copenhagen Post",
                "url": "https://cphpost.dk/2019-03-19/news/business/huawei-edged-out-in-favour-of-ericsson-for-danish-5g-network",
                "date": "2019-03-19",
                "quote": (
                    "There were two bids and a tough negotiating process, and I’m extremely pleased that we ended up with Ericsson as a "
                    "partner on our new 5G network"
                ),
            },
            {
                "title": "TDC fravælger Huawei: Laver 5G-netværk med Ericsson",
                "publisher": "Fyens Stiftstidende (Ritzau)",
                "url": "https://www.fyens.dk/erhverv/TDC-fravaelger-Huawei-Laver-5G-netvaerk-med-Ericsson/artikel/3332753",
                "date": None,
            },
        ],
    },
    {
        "slug": "italy-extends-golden-power-to-5g",
        "title": "Italy extends its golden power to 5G network contracts",
        "summary": (
            "A decree-law in force from 26 March made 5G broadband services a strategic activity under Italy's golden power rules. "
            "Contracts with suppliers from outside the EU for goods or services to design, build, maintain or manage 5G networks, and "
            "purchases of high-tech components for them, must be notified to the government, which may veto them or impose conditions. "
            "The decree named no company; Parliament converted it into law on 20 May 2019."
        ),
        "body": "",
        "date": "2019-03-25",
        "precision": "day",
        "end_date": None,
        "type": "legislation",
        "stage": "in_effect",
        "measure": "italy-golden-power-over-5g",
        "jurisdictions": ["IT"],
        "actors": [["italy-government", "initiator"]],
        "topics": ["5g", "supply-chain"],
        "status": "published",
        "sources": [
            {
                "title": (
                    "Decreto-legge 25 marzo 2019, n. 22: Misure urgenti per assicurare sicurezza, stabilità finanziaria e integrità dei "
                    "mercati, nonché tutela della salute e della libertà di soggiorno dei cittadini italiani e di quelli del Regno Unito, "
                    "in caso di recesso di quest'ultimo dall'Unione europea"
                ),
                "publisher": "Gazzetta Ufficiale della Repubblica Italiana",
                "url": "",
                "date": "2019-03-25",
            },
            {
                "title": "The new golden power of the Italian Government relating to 5G",
                "publisher": "Pavia e Ansaldo",
                "url": "https://www.pavia-ansaldo.it/the-new-golden-power-of-the-italian-government-relating-to-5g/?lang=en",
                "date": "2019-05-15",
            },
            {
                "title": "Italy tightens foreign investment scrutiny over 5G technology",
                "publisher": "Connect On Tech",
                "url": "https://connectontech.com/2019-4-10-italy-tightens-foreign-investment-scrutiny-over-5g-technology",
                "date": "2019-04-10",
                "quote": "Decree 22/2019 became effective on 26 March 2019",
            },
        ],
    },
    {
        "slug": "european-commission-recommendation-on-5g-cybersecurity",
        "title": "European Commission recommends a common EU approach to 5G security",
        "summary": (
            "The Commission adopted Recommendation (EU) 2019/534 on the cybersecurity of 5G networks, after EU leaders backed a concerted "
            "approach on 22 March. Member states were to complete national risk assessments by the end of June 2019, prepare a coordinated "
            "EU risk assessment by 1 October and agree a toolbox of mitigating measures by the end of the year."
        ),
        "body": (
            "The recommendation is not binding. Its three steps:\n\n"
            "1. **National risk assessments** of 5G network infrastructure, by 30 June 2019;\n"
            "2. a **coordinated EU risk assessment**, with the Commission and ENISA, by 1 October 2019;\n"
            "3. a **toolbox** of measures to mitigate the risks identified, by 31 December 2019.\n\n"
            "No supplier is named."
        ),
        "date": "2019-03-26",
        "precision": "day",
        "end_date": None,
        "type": "legislation",
        "stage": "in_effect",
        "measure": "eu-common-approach-to-5g-security",
        "jurisdictions": ["EU"],
        "actors": [["european-commission", "initiator"]],
        "topics": ["5g", "supply-chain"],
        "status": "published",
        "sources": [
            {
                "title": "Commission Recommendation (EU) 2019/534 of 26 March 2019 Cybersecurity of 5G networks",
                "publisher": "European Commission (Official Journal of the European Union, L 88, 29.3.2019)",
                "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX%3A32019H0534",
                "date": "2019-03-26",
            },
        ],
    },
    {
        "slug": "hcsec-oversight-board-2019-report",
        "title": "HCSEC Oversight Board finds serious defects in Huawei's software engineering",
        "summary": (
            "The board's 2019 report said it had found serious and systematic defects in Huawei's software engineering and cyber security "
            "competence, and no material progress on the issues raised a year earlier. It could provide only limited assurance that the "
            "long-term security risks could be managed in the Huawei equipment deployed in the UK."
        ),
        "body": "",
        "date": "2019-03-28",
        "precision": "day",
        "end_date": None,
        "type": "investigation-or-report",
        "stage": "",
        "measure": None,
        "jurisdictions": ["GB"],
        "actors": [["hcsec-oversight-board", "initiator"], ["huawei", "target"]],
        "topics": ["critical-infrastructure", "supply-chain"],
        "status": "published",
        "sources": [
            {
                "title": "Huawei Cyber Security Evaluation Centre (HCSEC) Oversight Board Annual Report 2019",
                "publisher": "HCSEC Oversight Board, report to the UK National Security Adviser",
                "url": "",
                "date": "2019-03-28",
            },
        ],
    },
    {
        "slug": "belgian-cybersecurity-centre-finds-no-evidence-of-huawei-threat",
        "title": "Belgian cybersecurity centre finds no evidence of a Huawei threat so far",
        "summary": (
            "After months of enquiries, the Centre for Cybersecurity Belgium said it did not have enough evidence to speak of a threat "
            "from Huawei and would not issue a negative opinion. It would not produce a final report but would keep monitoring, leaving "
            "a position on Huawei to the prime minister."
        ),
        "body": "",
        "date": "2019-04-15",
        "precision": "day",
        "end_date": None,
        "type": "investigation-or-report",
        "stage": "",
        "measure": "belgium-huawei-ban-review",
        "jurisdictions": ["BE"],
        "actors": [["ccb", "initiator"], ["huawei", "target"]],
        "topics": ["5g"],
        "status": "published",
        "sources": [
            {
                "title": "Geen negatief advies over Huawei aan regering",
                "publisher": "Het Laatste Nieuws (Belga)",
                "url": "https://www.hln.be/ihln/multimedia/geen-negatief-advies-over-huawei-aan-regering~a6981ef2/",
                "date": "2019-04-15",
            },
            {
                "title": "Huawei: No proof of spying in Belgium says Cyber-security Centre",
                "publisher": "The Brussels Times",
                "url": (
                    "https://www.brusselstimes.com/all-news/belgium-all-news/politics/55488/"
                    "huawei-no-proof-of-spying-in-belgium-says-cybersecurity-centre/"
                ),
                "date": None,
            },
        ],
    },
    {
        "slug": "uk-national-security-council-reportedly-agrees-limited-huawei-role",
        "title": "UK National Security Council reportedly agrees a limited Huawei role in 5G",
        "summary": (
            "The Daily Telegraph reported that a National Security Council meeting chaired by Prime Minister Theresa May had agreed to let "
            "Huawei supply non-core parts of the UK's 5G networks, despite objections from several ministers. The government said no final "
            "decision had been taken, and the Cabinet Secretary opened a leak inquiry."
        ),
        "body": "",
        "date": "2019-04-23",
        "precision": "day",
        "end_date": None,
        "type": "ban-or-restriction",
        "stage": "considered",
        "measure": "uk-limits-on-huawei-in-5g",
        "jurisdictions": ["GB"],
        "actors": [["uk-government", "initiator"], ["theresa-may", "involved"], ["huawei", "target"]],
        "topics": ["5g", "core-network"],
        "status": "published",
        "sources": [
            {
                "title": "Ultimatum to cabinet ministers in Huawei leak investigation",
                "publisher": "The Guardian",
                "url": "https://www.theguardian.com/technology/2019/apr/25/may-faces-calls-for-inquiry-over-huawei-leak",
                "date": "2019-04-25",
            },
            {
                "title": "Cabinet Secretary Issues Ultimatum To Ministers Over Huawei Leak",
                "publisher": "LBC",
                "url": "https://www.lbc.co.uk/news/cabinet-secretary-issues-ultimatum-to-ministers-de/",
                "date": "2019-04-26",
            },
        ],
    },
    {
        "slug": "theresa-may-dismisses-gavin-williamson-over-huawei-leak",
        "title": "Theresa May dismisses Defence Secretary Gavin Williamson over the Huawei leak",
        "summary": (
            "Prime Minister Theresa May dismissed Gavin Williamson, saying a leak inquiry had produced compelling evidence that he was "
            "responsible for the unauthorised disclosure of National Security Council discussions on Huawei. Williamson denied leaking; "
            "Penny Mordaunt succeeded him."
        ),
        "body": "",
        "date": "2019-05-01",
        "precision": "day",
        "end_date": None,
        "type": "official-statement",
        "stage": "",
        "measure": None,
        "jurisdictions": ["GB"],
        "actors": [["theresa-may", "initiator"], ["gavin-williamson", "target"]],
        "topics": ["5g"],
        "status": "published",
        "sources": [
            {
                "title": "Massive Huawei leak inquiry led to Gavin Williamson sacking",
                "publisher": "i",
                "url": "https://inews.co.uk/news/politics/massive-huawei-leak-inquiry-led-to-gavin-williamson-sacking/",
                "date": None,
            },
        ],
    },
    {
        "slug": "prague-5g-security-conference-publishes-prague-proposals",
        "title": "Prague 5G Security Conference publishes the Prague Proposals",
        "summary": (
            "Officials from more than 30 countries, the EU and NATO met in Prague at a conference hosted by the Czech government. "
            "The conference chairman published the non-binding Prague Proposals, which say the overall risk of a supplier being "
            "influenced by a third country should be taken into account, notably its model of governance."
        ),
        "body": "",
        "date": "2019-05-03",
        "precision": "day",
        "end_date": None,
        "type": "official-statement",
        "stage": "",
        "measure": None,
        "jurisdictions": ["CZ"],
        "actors": [
            ["czech-government", "initiator"],
            ["us-government", "involved"],
            ["european-commission", "involved"],
            ["nato", "involved"],
        ],
        "topics": ["5g", "supply-chain"],
        "status": "published",
        "sources": [
            {
                "title": "Prague 5G Security Conference announced series of recommendations: The Prague Proposals",
                "publisher": "Government of the Czech Republic",
                "url": "",
                "date": "2019-05-03",
                "quote": (
                    "The overall risk of influence on a supplier by a third country should be taken into account, notably in relation "
                    "to its model of governance"
                ),
            },
            {
                "title": "Statement by the Press Secretary on the Prague 5G Security Conference",
                "publisher": "The White House (The American Presidency Project)",
                "url": "https://www.presidency.ucsb.edu/documents/statement-the-press-secretary-the-prague-5g-security-conference",
                "date": "2019-05-03",
            },
        ],
    },
    {
        "slug": "us-executive-order-13873-on-ict-supply-chain",
        "title": "US executive order on securing the ICT supply chain",
        "summary": (
            "President Trump signed Executive Order 13873, declaring a national emergency over foreign adversaries' exploitation of "
            "information and communications technology and services. It lets the Commerce Secretary prohibit transactions involving "
            "technology from companies owned, controlled or directed by a foreign adversary; it named no company."
        ),
        "body": "",
        "date": "2019-05-15",
        "precision": "day",
        "end_date": None,
        "type": "legislation",
        "stage": "",
        "measure": None,
        "jurisdictions": ["US"],
        "actors": [["white-house", "initiator"]],
        "topics": ["supply-chain", "critical-infrastructure"],
        "status": "published",
        "sources": [
            {
                "title": (
                    "Executive Order 13873 of May 15, 2019: Securing the Information and Communications Technology and Services Supply "
                    "Chain"
                ),
                "publisher": "The White House (Federal Register, vol. 84, no. 96)",
                "url": "",
                "date": "2019-05-17",
            },
            {
                "title": "Executive Order 13873 on Securing the ICT and Services Supply Chain",
                "publisher": "Cybersecurity and Infrastructure Security Agency (CISA)",
                "url": "https://www.cisa.gov/eo-13873",
                "date": None,
            },
        ],
    },
    {
        "slug": "us-adds-huawei-to-entity-list",
        "title": "US adds Huawei to the Entity List",
        "summary": (
            "The Commerce Department announced on 15 May that it was adding Huawei and 68 non-US affiliates to the Entity List, effective "
            "16 May, so that exports of items subject to US export rules need a licence reviewed under a presumption of denial. It cited "
            "the January indictment alleging violations of Iran sanctions."
        ),
        "body": "",
        "date": "2019-05-16",
        "precision": "day",
        "end_date": None,
        "type": "sanction-or-export-control",
        "stage": "in_effect",
        "measure": "us-export-controls-on-huawei",
        "jurisdictions": ["US"],
        "actors": [["us-commerce-bis", "initiator"], ["huawei", "target"]],
        "topics": ["export-controls", "supply-chain"],
        "status": "published",
        "sources": [
            {
                "title": "Department of Commerce Announces the Addition of Huawei Technologies Co. Ltd. to the Entity List",
                "publisher": "U.S. Department of Commerce",
                "url": (
                    "https://www.commerce.gov/news/press-releases/2019/05/department-commerce-announces-addition-huawei-technologies-co-ltd"
                ),
                "date": "2019-05-15",
            },
            {
                "title": "Addition of Entities to the Entity List",
                "publisher": "U.S. Department of Commerce, Bureau of Industry and Security (Federal Register)",
                "url": "",
                "date": "2019-05-21",
            },
        ],
    },
    {
        "slug": "google-suspends-some-business-with-huawei",
        "title": "Google suspends some business with Huawei",
        "summary": (
            "After the Entity List decision, Google suspended business with Huawei that requires the transfer of hardware, software and "
            "technical services, except what is publicly available under open-source licences. New Huawei phones outside China stood to "
            "lose Google apps and services such as Google Play and Gmail; Google said it was complying with the order and reviewing the "
            "implications."
        ),
        "body": "",
        "date": "2019-05-19",
        "precision": "day",
        "end_date": None,
        "type": "commercial-decision",
        "stage": "",
        "measure": None,
        "jurisdictions": ["US"],
        "actors": [["google", "initiator"], ["huawei", "target"]],
        "topics": ["handsets", "chips-and-software", "export-controls"],
        "status": "published",
        "sources": [
            {
                "title": "Google cuts off some business with Huawei, report says",
                "publisher": "CBS News",
                "url": "https://cbsnews.com/news/google-cuts-off-some-business-with-huawei-report-says",
                "date": "2019-05-19",
            },
            {
                "title": "Trump Blacklist: Google Restricts Huawei’s Access To Android",
                "publisher": "Fiji Sun",
                "url": "https://fijisun.com.fj/2019/05/20/trump-blacklist-google-restricts-huaweis-access-to-android/",
                "date": "2019-05-20",
            },
        ],
    },
    {
        "slug": "us-issues-temporary-general-licence-for-huawei",
        "title": "US issues a 90-day temporary general licence for Huawei",
        "summary": (
            "The Commerce Department issued a temporary general licence, valid from 20 May to 19 August 2019, for limited transactions "
            "with "
            "Huawei and its listed affiliates. It covered the continued operation of existing networks, support for existing handsets, "
            "cybersecurity research and work in 5G standards bodies; all else still needed a licence."
        ),
        "body": "",
        "date": "2019-05-20",
        "precision": "day",
        "end_date": None,
        "type": "sanction-or-export-control",
        "stage": "in_effect",
        "measure": "us-export-controls-on-huawei",
        "jurisdictions": ["US"],
        "actors": [["us-commerce-bis", "initiator"], ["huawei", "target"]],
        "topics": ["export-controls", "handsets"],
        "status": "published",
        "sources": [
            {
                "title": "Huawei gets 90-day reprieve from US ban",
                "publisher": "domain-b",
                "url": "https://www.domain-b.com/companies/companies_h/huawei/20190521_ban.html",
                "date": "2019-05-21",
            },
        ],
    },
    {
        "slug": "arm-tells-staff-to-suspend-business-with-huawei",
        "title": "Chip designer Arm tells staff to suspend business with Huawei",
        "summary": (
            "UK-based Arm told employees to halt all active contracts, support entitlements and pending engagements with Huawei and its "
            "subsidiaries, according to internal documents obtained by the BBC. Arm said its designs contained US-origin technology and "
            "that it was complying with the latest US restrictions."
        ),
        "body": "",
        "date": "2019-05-22",
        "precision": "day",
        "end_date": None,
        "type": "commercial-decision",
        "stage": "",
        "measure": None,
        "jurisdictions": ["GB"],
        "actors": [["arm", "initiator"], ["huawei", "target"]],
        "topics": ["chips-and-software", "export-controls"],
        "status": "published",
        "sources": [
            {
                "title": "Huawei: ARM memo tells staff to stop working with China’s tech giant",
                "publisher": "BBC News",
                "url": "https://www.bbc.com/news/technology-48363772",
                "date": "2019-05-22",
            },
        ],
    },
    {
        "slug": "ee-and-vodafone-uk-drop-huawei-phones-from-5g-launches",
        "title": "EE and Vodafone UK drop Huawei phones from their 5G launches",
        "summary": (
            "Announcing that it would switch on the UK's first 5G network on 30 May, EE said it had paused the sale of Huawei 5G phones "
            "until it was confident they would be supported for their lifetime. Vodafone UK paused pre-orders of Huawei's Mate 20 X (5G), "
            "calling it a temporary measure while uncertainty existed regarding new Huawei 5G devices."
        ),
        "body": "",
        "date": "2019-05-22",
        "precision": "day",
        "end_date": None,
        "type": "commercial-decision",
        "stage": "",
        "measure": None,
        "jurisdictions": ["GB"],
        "actors": [["ee", "initiator"], ["vodafone", "involved"], ["huawei", "target"]],
        "topics": ["handsets", "5g"],
        "status": "published",
        "sources": [
            {
                "title": "EE will beat Vodafone to become first UK provider to launch 5G – without Huawei devices",
                "publisher": "City A.M.",
                "url": "https://cityam.com/278001/ee-beat-vodafone-become-first-uk-provider-launch-5g-without",
                "date": "2019-05-22",
            },
            {
                "title": "Huawei: Vodafone UK suspends pre-orders of 5G phone",
                "publisher": "CNA (AFP)",
                "url": "https://www.channelnewsasia.com/news/world/huawei-vodafone-uk-suspends-pre-orders-5g-phone-11555634",
                "date": "2019-05-22",
                "quote": (
                    "We are pausing pre-orders for the Huawei Mate 20X in the UK. This is a temporary measure while uncertainty exists "
                    "regarding new Huawei 5G devices."
                ),
            },
            {
                "title": "EE to launch 5G on May 30: Drops Huawei from Launch",
                "publisher": "Rapid Mobile",
                "url": "https://rapidmobile.biz/ee/launch-may-30-drops-huawei-from-launch/",
                "date": None,
            },
        ],
    },
    {
        "slug": "ee-launches-uk-5g-with-huawei-among-suppliers",
        "title": "EE launches the UK's first 5G network, with Huawei among its suppliers",
        "summary": (
            "EE switched on 5G in London, Cardiff, Edinburgh, Belfast, Birmingham and Manchester, with Huawei among the suppliers of its "
            "network equipment outside the core. EE's chief executive said there was no government guidance against using Huawei, but that "
            "EE would reconsider if the guidance changed."
        ),
        "body": "",
        "date": "2019-05-30",
        "precision": "day",
        "end_date": None,
        "type": "procurement-decision",
        "stage": "",
        "measure": None,
        "jurisdictions": ["GB"],
        "actors": [["ee", "initiator"], ["bt", "involved"], ["huawei", "involved"]],
        "topics": ["5g", "radio-access-network"],
        "status": "published",
        "sources": [
            {
                "title": "EE Launches 5G In Birmingham",
                "publisher": "Heart",
                "url": "https://www.heart.co.uk/westmids/news/local/5g-launches-in-birmingham/",
                "date": None,
            },
            {
                "title": "EE will beat Vodafone to become first UK provider to launch 5G – without Huawei devices",
                "publisher": "City A.M.",
                "url": "https://cityam.com/278001/ee-beat-vodafone-become-first-uk-provider-launch-5g-without",
                "date": "2019-05-22",
            },
        ],
    },
    {
        "slug": "uk-telecoms-supply-chain-review-defers-huawei-decision",
        "title": "UK Telecoms Supply Chain Review defers a decision on Huawei",
        "summary": (
            "Culture Secretary Jeremy Wright published the Telecoms Supply Chain Review, which called for a new telecoms security "
            "framework "
            "with stronger requirements on operators and more diversity among suppliers. He told the Commons that a decision on high-risk "
            "vendors such as Huawei had to wait until the effect of the new US measures was clear."
        ),
        "body": "",
        "date": "2019-07-22",
        "precision": "day",
        "end_date": None,
        "type": "investigation-or-report",
        "stage": "considered",
        "measure": "uk-limits-on-huawei-in-5g",
        "jurisdictions": ["GB"],
        "actors": [["uk-dcms", "initiator"], ["huawei", "target"]],
        "topics": ["5g", "supply-chain"],
        "status": "published",
        "sources": [
            {
                "title": "UK Telecoms Supply Chain Review Report (CP 158)",
                "publisher": "Department for Digital, Culture, Media and Sport",
                "url": "",
                "date": "2019-07-22",
            },
            {
                "title": "Telecoms Supply Chain Review (House of Commons, volume 663)",
                "publisher": "Hansard",
                "url": "https://hansard.parliament.uk/Commons/2019-07-22/debates/7C7CE899-13EB-4C18-8678-44CB6CAA14F5/details",
                "date": "2019-07-22",
            },
        ],
    },
    {
        "slug": "us-federal-purchase-ban-on-huawei-and-zte-takes-effect",
        "title": "US ban on federal purchases of Huawei and ZTE equipment takes effect",
        "summary": (
            "The first prohibition in section 889 of the 2019 defence authorization act took effect, barring executive agencies from "
            "procuring covered telecommunications equipment or services from Huawei and ZTE. An interim Federal Acquisition Regulation "
            "rule issued the same day wrote it into government contracts."
        ),
        "body": "",
        "date": "2019-08-13",
        "precision": "day",
        "end_date": None,
        "type": "ban-or-restriction",
        "stage": "in_effect",
        "measure": "us-federal-ban-on-huawei-equipment",
        "jurisdictions": ["US"],
        "actors": [["us-government", "initiator"], ["huawei", "target"], ["zte", "target"]],
        "topics": ["government-procurement"],
        "status": "published",
        "sources": [
            {
                "title": (
                    "Prohibition on Contracting for Certain Telecommunications and Video Surveillance Services or Equipment (FAR Case "
                    "2018-017)"
                ),
                "publisher": "Department of Defense, General Services Administration and NASA (Federal Register)",
                "url": "",
                "date": "2019-08-13",
            },
            {
                "title": (
                    "PF 2019-33 Prohibition on Contracting for Certain Telecommunications and Video Surveillance Services or Equipment"
                ),
                "publisher": "U.S. Department of Energy, Office of Acquisition Management",
                "url": (
                    "https://www.energy.gov/management/downloads/pf-2019-33-prohibition-contracting-certain-telecommunications-and-video"
                ),
                "date": "2019-08-29",
            },
        ],
    },
    {
        "slug": "france-law-on-prior-authorisation-of-5g-equipment",
        "title": "France requires prior authorisation for 5G network equipment",
        "summary": (
            "To protect defence and national security, the law of 1 August 2019, adopted by Parliament on 24 July, requires operators "
            "of vital importance to obtain the Prime Minister's prior authorisation, for up to eight renewable years, to operate the "
            "equipment that connects users' devices to mobile networks from 5G on, where its functions put the network's integrity, "
            "security or availability, or the confidentiality of communications, at risk. It named no supplier but was known as the "
            "“anti-Huawei law”; a decree and an order were to set the procedure and the list of equipment."
        ),
        "body": "",
        "date": "2019-08-01",
        "precision": "day",
        "end_date": None,
        "type": "legislation",
        "stage": "in_effect",
        "measure": "france-authorisation-of-5g-equipment",
        "jurisdictions": ["FR"],
        "actors": [["france-parliament", "initiator"], ["france-government", "involved"], ["huawei", "target"]],
        "topics": ["5g", "radio-access-network", "critical-infrastructure"],
        "status": "published",
        "sources": [
            {
                "title": (
                    "Loi n° 2019-810 du 1er août 2019 visant à préserver les intérêts de la défense et de la sécurité nationale de la "
                    "France dans le cadre de l'exploitation des réseaux radioélectriques mobiles"
                ),
                "publisher": "Journal officiel de la République française",
                "url": "",
                "date": "2019-08-02",
            },
            {
                "title": "Préserver la sécurité nationale dans l’exploitation des réseaux mobiles",
                "publisher": "Direction générale des Entreprises",
                "url": "https://entreprises.gouv.fr/en/node/193274",
                "date": None,
            },
            {
                "title": (
                    "Rapport n° 631 (2018-2019) fait au nom de la commission mixte paritaire sur la proposition de loi visant à préserver "
                    "les intérêts de la défense et de la sécurité nationale de la France dans le cadre de l'exploitation des réseaux "
                    "radioélectriques mobiles"
                ),
                "publisher": "Sénat",
                "url": "https://senat.fr/rap/l18-631/l18-631.html",
                "date": "2019-07-03",
            },
        ],
    },
    {
        "slug": "us-extends-huawei-licence-and-lists-46-more-affiliates",
        "title": "US extends Huawei's temporary licence and lists 46 more affiliates",
        "summary": (
            "The Commerce Department extended the temporary general licence for Huawei by 90 days and added 46 more Huawei affiliates to "
            "the Entity List, effective 19 August. Secretary Wilbur Ross said more time was needed for consumers to move away from Huawei "
            "products without disruption."
        ),
        "body": "",
        "date": "2019-08-19",
        "precision": "day",
        "end_date": None,
        "type": "sanction-or-export-control",
        "stage": "in_effect",
        "measure": "us-export-controls-on-huawei",
        "jurisdictions": ["US"],
        "actors": [["us-commerce-bis", "initiator"], ["huawei", "target"]],
        "topics": ["export-controls"],
        "status": "published",
        "sources": [
            {
                "title": (
                    "Department of Commerce Adds Dozens of New Huawei Affiliates to the Entity List and Maintains Narrow Exemptions "
                    "through the Temporary General License"
                ),
                "publisher": "U.S. Department of Commerce (republished by EMSNow)",
                "url": (
                    "https://emsnow.com/department-of-commerce-adds-dozens-of-new-huawei-affiliates-to-the-entity-list-"
                    "and-maintains-narrow-exemptions-through-the-temporary-general-license"
                ),
                "date": "2019-08-19",
            },
        ],
    },
    {
        "slug": "us-and-poland-sign-joint-declaration-on-5g",
        "title": "United States and Poland sign a joint declaration on 5G",
        "summary": (
            "US Vice President Mike Pence and Polish Prime Minister Mateusz Morawiecki signed a declaration saying suppliers of 5G "
            "equipment should be rigorously evaluated, including whether they are subject to control by a foreign government. "
            "It said all countries must ensure only trusted and reliable suppliers take part in their networks. The declaration was signed "
            "in Warsaw on 2 September; the White House released its text on 5 September."
        ),
        "body": "",
        "date": "2019-09-02",
        "precision": "day",
        "end_date": None,
        "type": "official-statement",
        "stage": "announced",
        "measure": "poland-5g-supplier-vetting",
        "jurisdictions": ["PL", "US"],
        "actors": [
            ["poland-government", "initiator"],
            ["us-government", "initiator"],
            ["mike-pence", "involved"],
            ["mateusz-morawiecki", "involved"],
        ],
        "topics": ["5g", "supply-chain"],
        "status": "published",
        "sources": [
            {
                "title": "Press Release - U.S.-Poland Joint Declaration on 5G",
                "publisher": "The White House (The American Presidency Project)",
                "url": "https://www.presidency.ucsb.edu/documents/press-release-us-poland-joint-declaration-5g",
                "date": "2019-09-05",
            },
            {
                "title": "U.S. and Poland urge tough checks on 5G suppliers",
                "publisher": "Reuters",
                "url": (
                    "https://www.reuters.com/article/us-poland-usa-5g-declaration/u-s-and-poland-urge-tough-checks-on-5g-suppliers-idUSKCN1VN16X"
                ),
                "date": "2019-09-02",
                "quote": "All countries must ensure only trusted and reliable suppliers participate in networks",
            },
        ],
    },
    {
        "slug": "norway-says-it-will-not-ban-huawei-from-5g",
        "title": "Norway says it will not ban Huawei from its 5G network",
        "summary": (
            "Nikolai Astrup, the minister leading Norway's digitalisation policy, told Reuters that blocking Huawei from building Norway's "
            "5G network was not an option being discussed. He said it was up to operators to choose their suppliers and that Norway had "
            "no bans against any supplier. No restriction had been in force: a ban was ruled out while the measures remained under "
            "consideration."
        ),
        "body": "",
        "date": "2019-09-26",
        "precision": "day",
        "end_date": None,
        "type": "official-statement",
        "stage": "considered",
        "measure": "norway-5g-supplier-measures",
        "jurisdictions": ["NO"],
        "actors": [["nikolai-astrup", "initiator"], ["norway-government", "involved"], ["huawei", "involved"]],
        "topics": ["5g"],
        "status": "published",
        "sources": [
            {
                "title": "Norway will not ban Huawei from 5G mobile network: minister",
                "publisher": "Reuters",
                "url": "",
                "date": "2019-09-26",
                "quote": "That is not an option being discussed",
            },
        ],
    },
    {
        "slug": "eu-coordinated-risk-assessment-of-5g-networks",
        "title": "EU member states publish a coordinated risk assessment of 5G networks",
        "summary": (
            "Member states, with the Commission and the EU cybersecurity agency ENISA, published the EU coordinated risk assessment of the "
            "cybersecurity of 5G networks. Without naming companies, it pointed to operators' growing reliance on suppliers and to the "
            "risk "
            "profile of individual suppliers, ahead of a toolbox of mitigating measures due by the end of 2019."
        ),
        "body": "",
        "date": "2019-10-09",
        "precision": "day",
        "end_date": None,
        "type": "investigation-or-report",
        "stage": "in_effect",
        "measure": "eu-common-approach-to-5g-security",
        "jurisdictions": ["EU"],
        "actors": [["nis-cooperation-group", "initiator"], ["european-commission", "involved"], ["enisa", "involved"]],
        "topics": ["5g", "supply-chain"],
        "status": "published",
        "sources": [
            {
                "title": "EU coordinated risk assessment of the cybersecurity of 5G networks",
                "publisher": "NIS Cooperation Group",
                "url": "",
                "date": "2019-10-09",
            },
            {
                "title": "EU delivers report on 5G risk assessment",
                "publisher": "PSC Europe",
                "url": "https://psc-europe.eu/news-events/news/430-eu-delivers-report-on-5g-risk-assessment.html",
                "date": None,
            },
        ],
    },
    {
        "slug": "german-regulator-publishes-draft-security-catalogue",
        "title": "German regulator publishes draft security requirements for telecoms networks",
        "summary": (
            "The Bundesnetzagentur, with the BSI and the federal data protection commissioner, published a revised draft catalogue of "
            "security requirements for telecoms networks, open for comment until 13 November. It required certification of critical "
            "components and declarations of trustworthiness from suppliers, but excluded no vendor by name, leaving Huawei in the running."
        ),
        "body": "",
        "date": "2019-10-15",
        "precision": "day",
        "end_date": None,
        "type": "legislation",
        "stage": "considered",
        "measure": "german-telecom-security-requirements",
        "jurisdictions": ["DE"],
        "actors": [["bnetza", "initiator"], ["bsi", "involved"], ["huawei", "involved"]],
        "topics": ["5g", "supply-chain", "critical-infrastructure"],
        "status": "published",
        "sources": [
            {
                "title": (
                    "Katalog von Sicherheitsanforderungen für das Betreiben von Telekommunikations- und Datenverarbeitungssystemen "
                    "sowie für die Verarbeitung personenbezogener Daten nach § 109 Telekommunikationsgesetz (TKG)"
                ),
                "publisher": "Bundesnetzagentur",
                "url": "",
                "date": "2019-10-15",
            },
        ],
    },
    {
        "slug": "us-extends-huawei-temporary-licence-again",
        "title": "US extends Huawei's temporary general licence again",
        "summary": (
            "The Commerce Department renewed the temporary general licence for Huawei for another 90 days, to 16 February 2020. "
            "Secretary Ross said it would let carriers keep serving customers in some of the most remote areas of the United States."
        ),
        "body": "",
        "date": "2019-11-18",
        "precision": "day",
        "end_date": None,
        "type": "sanction-or-export-control",
        "stage": "in_effect",
        "measure": "us-export-controls-on-huawei",
        "jurisdictions": ["US"],
        "actors": [["us-commerce-bis", "initiator"], ["huawei", "target"]],
        "topics": ["export-controls"],
        "status": "published",
        "sources": [
            {
                "title": "Commerce Department Extends the Temporary General License for Huawei",
                "publisher": "Holland & Knight",
                "url": (
                    "https://www.hklaw.com/en/insights/publications/2019/11/commerce-department-extends-the-temporary-general-license-for-huawei"
                ),
                "date": "2019-11-19",
            },
        ],
    },
    # In review: late-2019 developments an editor is still checking.
    {
        "slug": "fcc-bars-subsidies-for-huawei-and-zte-equipment",
        "title": "FCC bars Universal Service Fund support for Huawei and ZTE equipment",
        "summary": (
            "The Federal Communications Commission adopted a rule prohibiting the use of Universal Service Fund money to buy equipment or "
            "services from companies posing a national security threat, initially designating Huawei and ZTE. It also ordered a survey of "
            "how much such equipment was in US networks and what replacing it would cost."
        ),
        "body": "",
        "date": "2019-11-22",
        "precision": "day",
        "end_date": None,
        "type": "legislation",
        "stage": "announced",
        "measure": "us-subsidy-ban-on-huawei-and-zte",
        "jurisdictions": ["US"],
        "actors": [["fcc", "initiator"], ["huawei", "target"], ["zte", "target"]],
        "topics": ["supply-chain", "critical-infrastructure"],
        "status": "review",
        "sources": [
            {
                "title": (
                    "Protecting Against National Security Threats to the Communications Supply Chain Through FCC Programs; "
                    "Huawei Designation; ZTE Designation"
                ),
                "publisher": "Federal Communications Commission (Federal Register)",
                "url": "https://www.govinfo.gov/content/pkg/FR-2020-01-03/html/2019-27610.htm",
                "date": "2020-01-03",
            },
        ],
    },
    {
        "slug": "eu-council-conclusions-on-5g-security",
        "title": "EU telecoms ministers adopt conclusions on 5G security",
        "summary": (
            "The Council adopted conclusions on the significance of 5G to the European economy and the need to mitigate security risks "
            "linked to 5G, supporting the coordinated risk assessment. They say non-technical factors should be considered in a supplier's "
            "risk profile and that components critical for national security should come only from trustworthy parties."
        ),
        "body": "",
        "date": "2019-12-03",
        "precision": "day",
        "end_date": None,
        "type": "official-statement",
        "stage": "in_effect",
        "measure": "eu-common-approach-to-5g-security",
        "jurisdictions": ["EU"],
        "actors": [["council-of-the-eu", "initiator"]],
        "topics": ["5g", "supply-chain"],
        "status": "review",
        "sources": [
            {
                "title": (
                    "Council conclusions on the significance of 5G to the European economy and the need to mitigate security risks "
                    "linked to 5G"
                ),
                "publisher": "Council of the European Union",
                "url": "",
                "date": "2019-12-03",
            },
            {
                "title": "Telecommunications ministers adopted 5G conclusions and discussed data economy and privacy protections",
                "publisher": "Ministry of Transport and Communications of Finland",
                "url": (
                    "https://www.lvm.fi/en/-/"
                    "telecommunications-ministers-adopted-5g-conclusions-and-discussed-data-economy-and-privacy-protections-1024827"
                ),
                "date": "2019-12-04",
            },
        ],
    },
    {
        "slug": "nato-london-declaration-on-secure-communications",
        "title": "NATO leaders commit to secure communications, including 5G",
        "summary": (
            "At their London meeting, NATO heads of state and government committed the Alliance and its members to ensuring the security "
            "of "
            "their communications, including 5G. For the first time, their declaration also said China's growing influence presents both "
            "opportunities and challenges for the Alliance."
        ),
        "body": "",
        "date": "2019-12-04",
        "precision": "day",
        "end_date": None,
        "type": "official-statement",
        "stage": "",
        "measure": None,
        "jurisdictions": [],
        "actors": [["nato", "initiator"]],
        "topics": ["5g"],
        "status": "review",
        "sources": [
            {
                "title": (
                    "London Declaration issued by the Heads of State and Government participating in the meeting of the North Atlantic "
                    "Council in London 3-4 December 2019"
                ),
                "publisher": "NATO",
                "url": "",
                "date": "2019-12-04",
                "quote": (
                    "We recognise that China’s growing influence and international policies present both opportunities and challenges "
                    "that we need to address together as an Alliance."
                ),
            },
        ],
    },
    # Drafts: recorded, sources still to be attached.
    {
        "slug": "pompeo-warns-central-european-allies-about-huawei",
        "title": "Pompeo warns Central European allies about Huawei",
        "summary": (
            "On a tour of Central Europe, US Secretary of State Mike Pompeo warned in Budapest that deploying Huawei equipment would make "
            "it harder for the United States to partner with allies."
        ),
        "body": "",
        "date": "2019-02-01",
        "precision": "month",
        "end_date": None,
        "type": "official-statement",
        "stage": "",
        "measure": None,
        "jurisdictions": ["HU", "US"],
        "actors": [["mike-pompeo", "initiator"], ["huawei", "target"]],
        "topics": ["5g"],
        "status": "draft",
        "sources": [],
    },
    {
        "slug": "pence-urges-allies-at-munich-to-reject-huawei",
        "title": "Pence urges allies at the Munich Security Conference to reject Huawei",
        "summary": (
            "US Vice President Mike Pence told the Munich Security Conference that the United States had been clear with its security "
            "partners about the threat posed by Huawei and other Chinese telecoms companies, and called on them to reject any enterprise "
            "that would compromise the integrity of their communications technology."
        ),
        "body": "",
        "date": "2019-02-16",
        "precision": "day",
        "end_date": None,
        "type": "official-statement",
        "stage": "",
        "measure": None,
        "jurisdictions": ["DE", "US"],
        "actors": [["mike-pence", "initiator"], ["huawei", "target"]],
        "topics": ["5g"],
        "status": "draft",
        "sources": [],
    },
    {
        "slug": "canada-authorises-extradition-proceedings-against-meng-wanzhou",
        "title": "Canada authorises extradition proceedings against Meng Wanzhou",
        "summary": (
            "Canada's Department of Justice issued an authority to proceed, formally opening extradition proceedings against Meng Wanzhou "
            "at the request of the United States. The case went before the Supreme Court of British Columbia."
        ),
        "body": "",
        "date": "2019-03-01",
        "precision": "day",
        "end_date": None,
        "type": "criminal-charges",
        "stage": "",
        "measure": None,
        "jurisdictions": ["CA"],
        "actors": [["canada-doj", "initiator"], ["meng-wanzhou", "target"]],
        "topics": ["sanctions"],
        "status": "draft",
        "sources": [],
    },
    {
        "slug": "german-regulator-sets-out-key-points-for-network-security",
        "title": "German regulator sets out key points for stricter network security requirements",
        "summary": (
            "The Bundesnetzagentur published key points for additional security requirements on telecoms networks, introducing the notion "
            "of a trustworthy supplier that must comply with national security, telecommunications secrecy and data protection rules. "
            "It said the requirements would apply to all networks, not only to 5G."
        ),
        "body": "",
        "date": "2019-03-01",
        "precision": "month",
        "end_date": None,
        "type": "legislation",
        "stage": "considered",
        "measure": "german-telecom-security-requirements",
        "jurisdictions": ["DE"],
        "actors": [["bnetza", "initiator"], ["bsi", "involved"]],
        "topics": ["5g", "supply-chain"],
        "status": "draft",
        "sources": [],
    },
]
