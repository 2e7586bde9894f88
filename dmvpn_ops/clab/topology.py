"""The containerlab topology model: nodes and point-to-point links, serialised as ``*.clab.yml``."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Node:
    """One containerlab node; ``role`` is ours (router, internet, nat, lan), kept out of the YAML."""

    name: str
    kind: str
    image: str
    mgmt_ipv4: str
    role: str
    group: str = ""
    startup_config: str | None = None
    binds: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    exec: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "image": self.image, "mgmt-ipv4": self.mgmt_ipv4}
        if self.group:
            out["group"] = self.group
        if self.startup_config:
            out["startup-config"] = self.startup_config
        for key, value in (("binds", self.binds), ("env", self.env), ("exec", self.exec),
                           ("labels", self.labels)):
            if value:
                out[key] = list(value) if isinstance(value, list) else dict(value)
        return out


@dataclass(frozen=True)
class Endpoint:
    node: str
    interface: str

    def __str__(self) -> str:
        return f"{self.node}:{self.interface}"


@dataclass(frozen=True)
class Link:
    a: Endpoint
    b: Endpoint
    purpose: str  # underlay, nat-outside, lan: for the README and the tests


@dataclass
class Topology:
    name: str
    mgmt_network: str
    mgmt_subnet: str
    nodes: dict[str, Node] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)

    def add(self, node: Node) -> Node:
        if node.name in self.nodes:
            raise ValueError(f"duplicate node {node.name}")
        self.nodes[node.name] = node
        return node

    def connect(self, a: Endpoint, b: Endpoint, purpose: str) -> None:
        self.links.append(Link(a, b, purpose))

    def to_dict(self) -> dict[str, Any]:
        """The topology file content (brief link format: ``endpoints: [a:if, b:if]``)."""
        return {
            "name": self.name,
            "mgmt": {"network": self.mgmt_network, "ipv4-subnet": self.mgmt_subnet},
            "topology": {
                "nodes": {name: node.to_dict() for name, node in self.nodes.items()},
                "links": [{"endpoints": [str(link.a), str(link.b)]} for link in self.links],
            },
        }
