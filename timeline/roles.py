"""The newsroom's two roles, as Django groups (created by a data migration).

Contributors write and submit; editors also publish, schedule, unpublish,
delete published events and add corrections. Publishing itself is the
`timeline.publish_event` permission, checked on every path that publishes.
"""

PUBLISH_PERMISSION = "timeline.publish_event"

_WRITE = ["add", "change", "view"]
_ALL = ["add", "change", "delete", "view"]

ROLES = {
    "Contributor": {
        "event": _WRITE + ["delete"],  # deleting a *published* event needs the publish permission too
        "eventactor": _ALL,
        "source": _ALL,
        "actor": _WRITE,
        "topic": _WRITE,
        "measure": _WRITE,
        "eventtype": ["view"],
        "jurisdiction": ["view"],
        "correction": ["view"],
    },
    "Editor": {
        "event": _ALL + ["publish"],
        "eventactor": _ALL,
        "source": _ALL,
        "actor": _ALL,
        "topic": _ALL,
        "measure": _ALL,
        "eventtype": _ALL,
        "jurisdiction": ["view"],
        "correction": _ALL,
    },
}


def codenames(model, actions):
    return [f"{action}_{model}" for action in actions]
