"""`dmvpn-ops clab generate`: a containerlab lab (topology, startup configs, lab inventory) from the intent."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dmvpn_ops.cli._common import DEFAULT_INVENTORY, InventoryOption, NornirConfigOption, console


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="containerlab lab generated from the intent.", no_args_is_help=True)
    app.add_typer(sub, name="clab")

    @sub.command("generate")
    def generate(
        out: Annotated[Path, typer.Option("--out", help="Directory for <name>.clab.yml, configs/, inventory/.")],
        inventory: InventoryOption = DEFAULT_INVENTORY,
        nornir_config: NornirConfigOption = None,
        kind: Annotated[str, typer.Option("--kind", help="Router kind: cisco_iol or cisco_c8000v.")] = "cisco_iol",
        spoke_kind: Annotated[str | None, typer.Option(
            "--spoke-kind", help="Spokes of another kind: frr (nhrpd + strongSwan).")] = None,
        name: Annotated[str | None, typer.Option("--name", help="Lab name (default from the inventory).")] = None,
        mgmt_subnet: Annotated[str | None, typer.Option(
            "--mgmt-subnet", help="Management network (default 172.100.100.0/24).")] = None,
        image: Annotated[str | None, typer.Option("--image", help="Router image (default per kind).")] = None,
    ) -> None:
        """Write the containerlab topology, base startup configs and the lab's Nornir inventory."""
        from dmvpn_ops.clab import DEFAULT_MGMT_SUBNET, generate_lab

        lab = generate_lab(inventory, out, kind=kind, spoke_kind=spoke_kind, name=name,
                           mgmt_subnet=mgmt_subnet or DEFAULT_MGMT_SUBNET, image=image, nornir_config=nornir_config)
        routers = [n for n in lab.topology["topology"]["nodes"].values() if n["kind"] != "linux"
                   or n.get("binds")]
        console.print(f"wrote {lab.topology_file} ({len(routers)} routers, "
                      f"{len(lab.topology['topology']['links'])} links), {lab.out / 'configs'}, "
                      f"{lab.out / 'inventory'}", highlight=False)
        console.print(f"next: containerlab deploy -t {lab.topology_file} && "
                      f"dmvpn-ops deploy -i {lab.out / 'inventory'}", highlight=False)
