import { registry } from "@web/core/registry";

/**
 * The make-and-install story (qms_crm_process), one tour per person; the
 * Python test (tests/test_tours.py) prepares the opportunity QMS Tour Windows
 * and runs them in order.
 */
const tours = registry.category("web_tour.tours");

function markDone(summary) {
    return [
        {
            content: `Mark "${summary}" done`,
            trigger: `.o-mail-Activity:contains(${summary}):not(:contains(Overdue)) .o-mail-Activity-markDone`,
            run: "click",
        },
        {
            content: "Done",
            trigger: ".o-mail-ActivityMarkAsDone button[aria-label=Done]",
            run: "click",
        },
        {
            content: `"${summary}" is done`,
            trigger: `.o-mail-Chatter:not(:has(.o-mail-Activity:contains(${summary}):not(:contains(Overdue))))`,
        },
    ];
}

function moveTo(stage) {
    // a stage button, or the item of the status bar's "..." menu when the
    // header buttons leave no room for every stage
    return {
        content: `Move to ${stage}`,
        trigger: ".o_form_view .o_statusbar_status",
        run: async () => {
            const bar = document.querySelector(".o_form_view .o_statusbar_status");
            const shown = (el) => el.offsetParent !== null;
            const named = (el) => el.textContent.trim() === stage;
            let target = [...bar.querySelectorAll("button.o_arrow_button")].find(
                (b) => shown(b) && named(b)
            );
            for (const toggle of bar.querySelectorAll("button.dropdown-toggle")) {
                if (target) {
                    break;
                }
                if (!shown(toggle)) {
                    continue;
                }
                toggle.click();
                await new Promise((resolve) => setTimeout(resolve, 500));
                target = [...document.querySelectorAll(".o-dropdown--menu .dropdown-item")].find(named);
                if (!target) {
                    toggle.click();
                    await new Promise((resolve) => setTimeout(resolve, 200));
                }
            }
            if (!target) {
                throw new Error(`No stage ${stage} in the status bar`);
            }
            target.click();
        },
    };
}

function isIn(stage) {
    return [
        {
            content: `The opportunity is in ${stage}`,
            trigger: `.o_statusbar_status:has(button.o_arrow_button_current:contains(${stage}))`,
        },
        {
            content: "The move is saved",
            trigger: ".o_form_view .o_form_status_indicator_buttons.invisible:not(:visible)",
        },
    ];
}

// the manager: the overdue call-back escalated to them; leaving the first
// stage is refused until the call-back is done
tours.add("qms_process_manager_tour", {
    steps: () => [
        {
            content: "The escalation of the overdue call-back is planned for the manager",
            trigger: ".o-mail-Activity:contains(Overdue: Call back within 15 minutes)",
        },
        {
            content: "The banner says what is missing before the next stage",
            trigger: ".o_qms_gate_banner:contains(Call back within 15 minutes)",
        },
        moveTo("Measurements"),
        {
            content: "The move is refused and names the missing task",
            trigger: ".modal:contains(cannot leave the stage):contains(Call back within 15 minutes)",
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Discard the refused move",
            trigger: ".o_form_view:not(:has(.modal)) .o_form_button_cancel",
            run: "click",
        },
        ...isIn("First Call"),
        ...markDone("Call back within 15 minutes"),
        moveTo("Measurements"),
        ...isIn("Measurements"),
    ],
});

// the measurer: the measurement sheet is attached; the measurement is done
// and the opportunity goes to Agreement
tours.add("qms_process_measurer_tour", {
    steps: () => [
        {
            content: "The measurement sheet is on the opportunity",
            trigger: ".o-mail-Chatter:contains(measurements-tour.pdf)",
        },
        ...markDone("Measure the windows on site"),
        moveTo("Agreement"),
        ...isIn("Agreement"),
        {
            content: "The manager's next task was created",
            trigger: ".o-mail-Activity:contains(Calculate the cost and call the customer)",
        },
    ],
});

// the manager again: the estimate is done, the payment document is generated
tours.add("qms_process_payment_tour", {
    steps: () => [
        ...markDone("Calculate the cost and call the customer"),
        moveTo("Payment"),
        ...isIn("Payment"),
        {
            content: "Generate the payment document",
            trigger: ".o_form_view button[name=action_qms_generate_documents]",
            run: "click",
        },
        {
            content: "The payment document is attached to the opportunity",
            trigger: ".o-mail-Chatter:contains(Payment Document - QMS Tour Windows)",
        },
        ...markDone("Send the payment document and check the payment"),
        moveTo("Installation"),
        ...isIn("Installation"),
    ],
});

// the installer: the checklist is ticked, the visit is done, the acceptance
// act is filled and sent
tours.add("qms_process_installer_tour", {
    steps: () => [
        {
            content: "Try to mark the visit done before ticking the checklist",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_done]",
            run: "click",
        },
        {
            content: "It is refused and names the item left to tick",
            trigger: ".modal:contains(tick the checklist first):contains(Windows fitted and sealed)",
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            // the box of a row not in edition is disabled: edit the row first
            content: "Edit the checklist item",
            trigger: ".o_form_view:not(:has(.modal)) .o_field_widget[name=check_ids] .o_data_row:contains(Windows fitted) td[name=note]",
            run: "click",
        },
        {
            content: "Tick it",
            trigger: ".o_field_widget[name=check_ids] .o_data_row.o_selected_row td[name=done] input:not(:checked):enabled",
            run: "click",
        },
        {
            // (in edition, the item's name is in an input: not in the row's text)
            content: "The item is ticked",
            trigger: ".o_field_widget[name=check_ids] .o_data_row.o_selected_row td[name=done] input:checked",
        },
        {
            content: "Save the visit",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The visit is saved",
            trigger: ".o_form_view .o_form_status_indicator_buttons.invisible:not(:visible)",
        },
        {
            content: "Mark the visit done",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_done]",
            run: "click",
        },
        {
            content: "The visit is done",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Done)",
        },
        {
            content: "Open the acceptance act",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_new_act]",
            run: "click",
        },
        {
            content: "The act lists the requirement of the order",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains(Windows 1200x1400)",
        },
        {
            content: "Open its result",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains(Windows 1200x1400) td[name=result]",
            run: "click",
        },
        {
            content: "Open the choices",
            trigger: ".o_field_widget[name=line_ids] .o_data_row.o_selected_row [name=result] .o_select_menu_toggler",
            run: "click",
        },
        {
            content: "Met",
            trigger: ".o_select_menu_item:contains(Met):not(:contains(Deviation)):not(:contains(Not))",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Send it for the customer's signature",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_send]",
            run: "click",
        },
        {
            content: "The act awaits the signature",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Awaiting Signature)",
        },
    ],
});

// the customer signs the act in the portal
tours.add("qms_process_customer_sign_tour", {
    steps: () => [
        {
            content: "The act shows the requirement met",
            trigger: ".o_qms_acceptance_lines:contains(Windows 1200x1400):contains(Met)",
        },
        {
            content: "The customer's name is drawn as the signature",
            trigger: "canvas.o_web_sign_signature",
            run: "canvasNotEmpty",
        },
        {
            content: "Accept and sign",
            trigger: ".o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The signature is recorded",
            trigger: ".alert-success:contains(your signature has been recorded)",
        },
        {
            content: "The act says who signed",
            trigger: ".o_qms_act_signed:contains(Signed by)",
        },
    ],
});
