import { registry } from "@web/core/registry";
import { download } from "@web/core/network/download";
import { qmsScreenshot } from "@qms_crm_evidence/../tests/tours/qms_tour_utils";

/**
 * ISO 9001 9.3.2 c 1: a management review of last quarter is prepared (its
 * figures frozen), approved and printed.
 */
registry.category("web_tour.tours").add("qms_management_review_tour", {
    steps: () => [
        {
            content: "New management review",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit Tour quarterly review",
        },
        {
            content: "Prepare: freeze the figures of the period",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_prepare]",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The review is prepared",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Prepared)",
        },
        {
            content: "Open the figures",
            trigger: ".o_form_view .o_notebook a.nav-link[name=figures]",
            run: "click",
        },
        {
            content: "The frozen figures are listed",
            trigger: ".o_form_view .o_field_widget[name=figure_ids] .o_data_row",
        },
        qmsScreenshot("management_review_prepared"),
        {
            content: "Approve it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_approve]",
            run: "click",
        },
        {
            content: "The review is approved",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Approved)",
        },
        {
            content: "Print the review record, and wait for the PDF to be downloaded",
            trigger: ".o_form_view .o_statusbar_buttons button:contains(Print)",
            async run(actions) {
                const original = download._download;
                let downloaded;
                const done = new Promise((resolve) => (downloaded = resolve));
                download._download = async (options) => {
                    try {
                        return await original(options);
                    } finally {
                        downloaded(options.url);
                    }
                };
                try {
                    await actions.click();
                    const url = await done;
                    if (url !== "/report/download") {
                        throw new Error(`unexpected download ${url}`);
                    }
                } finally {
                    download._download = original;
                }
            },
        },
        {
            content: "Back on the approved review",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Approved)",
        },
    ],
});
